import { decodeJwt, decodeProtectedHeader } from "jose";
import { expect, test } from "../fixtures";

test("the issuer signs three flawed copies of the caller's own token, and /api/me refuses each for its own reason", async ({
  request,
  tokens,
}) => {
  const original = decodeJwt(tokens.accessToken);
  const answer = await request.post("/api/scenarios/flawed-tokens", { headers: tokens.bearer });
  expect(answer.status()).toBe(200);
  expect(answer.headers()["cache-control"]).toBe("no-store");
  const flawed = (await answer.json()) as Record<string, string>;
  expect(Object.keys(flawed).sort()).toEqual(["expired", "wrong_audience", "wrong_type"]);
  const reasons: Record<string, string> = {
    expired: "The access token expired.",
    wrong_audience: "The token is not meant for this API.",
    wrong_type: `The token's type is not "at+jwt".`,
  };
  for (const [flaw, token] of Object.entries(flawed)) {
    const claims = decodeJwt(token);
    // Never more than the token it came from: same holder, same revocation handles, no later expiry.
    expect(claims).toMatchObject({ sub: original.sub, jti: original.jti, sid: original.sid, iss: original.iss });
    expect(claims.exp!).toBeLessThanOrEqual(original.exp!);
    const me = await request.get("/api/me", { headers: { authorization: `Bearer ${token}` } });
    expect(me.status()).toBe(401);
    expect((await me.json()).error_description).toBe(reasons[flaw]);
  }
  expect(decodeJwt(flawed.wrong_audience!).aud).toBe("https://wrong-audience.invalid");
  expect(decodeProtectedHeader(flawed.wrong_type!).typ).toBe("JWT");
  expect(decodeJwt(flawed.expired!).exp!).toBeLessThan(Date.now() / 1000 - 600);
});

test("flawed copies are made only of a valid token", async ({ request, tokens }) => {
  expect((await request.post("/api/scenarios/flawed-tokens")).status()).toBe(401);
  const [head, body] = tokens.accessToken.split(".");
  const forged = `${head}.${body}.${"A".repeat(86)}`;
  const answer = await request.post("/api/scenarios/flawed-tokens", { headers: { authorization: `Bearer ${forged}` } });
  expect(answer.status()).toBe(401);
});
