// POST /api/auth/introspect (RFC 7662) as a resource server calls it: with
// its own client credentials, a form body, and an answer that reflects
// revocation at once.
import type { APIRequestContext } from "@playwright/test";
import { expect, test } from "../fixtures";
import { apiClientTokens } from "../helpers";
import { INTROSPECTION_CLIENT } from "../test-env";

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`;
const AS_RESOURCE_SERVER = basic(INTROSPECTION_CLIENT.id, INTROSPECTION_CLIENT.secret);

function introspect(request: APIRequestContext, token: string, authorization = AS_RESOURCE_SERVER) {
  return request.post("/api/auth/introspect", {
    headers: { authorization, "content-type": "application/x-www-form-urlencoded" },
    data: new URLSearchParams({ token }).toString(),
  });
}

test("a resource server learns that a token is active, then that it was revoked", async ({
  request,
  account: user,
  tokens,
}) => {
  const active = await introspect(request, tokens.accessToken);
  expect(active.status()).toBe(200);
  expect(active.headers()["cache-control"]).toBe("no-store");
  expect(await active.json()).toMatchObject({
    active: true,
    token_type: "Bearer",
    sub: user.id,
    username: user.email,
    // The fixture signs in as the dashboard's browser client.
    client_id: "browser",
  });
  await request.post("/api/auth/revoke", { data: { token: tokens.accessToken } });
  // Denylist mode is off, so /api/me still accepts it until exp; introspection does not.
  expect((await request.get("/api/me", { headers: tokens.bearer })).status()).toBe(200);
  expect(await (await introspect(request, tokens.accessToken)).json()).toEqual({ active: false });
});

test("refresh tokens, foreign and malformed tokens are simply inactive", async ({ request, account }) => {
  // An API client's pair: its refresh token comes in the JSON.
  const pair = await apiClientTokens(request, account);
  for (const token of [pair.refresh_token, "not-a-token", `${pair.access_token.slice(0, -4)}AAAA`]) {
    const answer = await introspect(request, token);
    expect(answer.status(), token).toBe(200);
    expect(await answer.json(), token).toEqual({ active: false });
  }
});

test("only a resource server with its own credentials may ask", async ({ request, tokens }) => {
  for (const [what, authorization] of [
    ["no credentials", ""],
    ["a wrong secret", basic(INTROSPECTION_CLIENT.id, `${INTROSPECTION_CLIENT.secret}x`)],
    ["an unknown client", basic("someone", INTROSPECTION_CLIENT.secret)],
    ["a user's own access token", tokens.bearer.authorization],
  ]) {
    const answer = await introspect(request, tokens.accessToken, authorization!);
    expect(answer.status(), what).toBe(401);
    expect(answer.headers()["www-authenticate"], what).toBe('Basic realm="session-vs-jwt"');
    expect(await answer.json(), what).toMatchObject({ error: "invalid_client" });
  }
});

test("the body is a form with a token, as RFC 7662 prescribes", async ({ request }) => {
  const json = await request.post("/api/auth/introspect", {
    headers: { authorization: AS_RESOURCE_SERVER },
    data: { token: "x" },
  });
  expect(json.status()).toBe(415);
  const empty = await request.post("/api/auth/introspect", {
    headers: { authorization: AS_RESOURCE_SERVER, "content-type": "application/x-www-form-urlencoded" },
    data: "token_type_hint=access_token",
  });
  expect(empty.status()).toBe(400);
  expect(await empty.json()).toMatchObject({ error: "invalid_request" });
});
