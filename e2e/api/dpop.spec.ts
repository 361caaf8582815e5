// DPoP (RFC 9449): tokens bound to a key the client holds. The client side
// here is jose with a key of the test's own: every request carries a fresh
// proof signed by it over the method, the URL and the access token's hash.
import { createHash, randomUUID } from "node:crypto";
import type { APIRequestContext } from "@playwright/test";
import { calculateJwkThumbprint, decodeJwt, exportJWK, generateKeyPair, SignJWT, type JWK } from "jose";
import { expect, test } from "../fixtures";
import { authorizePath, pkcePair } from "../oauth";
import { INTROSPECTION_CLIENT, origin } from "../test-env";

const REDIRECT = "http://127.0.0.1:53690/callback";
const TOKEN_URL = `${origin}/api/auth/token`;
const ME_URL = `${origin}/api/me`;

type Key = {
  sign: (claims: Record<string, unknown>, header?: Record<string, unknown>) => Promise<string>;
  jkt: string;
};

async function dpopKey(): Promise<Key> {
  const { privateKey, publicKey } = await generateKeyPair("ES256");
  const jwk: JWK = await exportJWK(publicKey);
  return {
    jkt: await calculateJwkThumbprint(jwk, "sha256"),
    sign: (claims, header = {}) =>
      new SignJWT({ jti: randomUUID(), iat: Math.floor(Date.now() / 1000), ...claims })
        .setProtectedHeader({ alg: "ES256", typ: "dpop+jwt", jwk, ...header })
        .sign(privateKey),
  };
}

const ath = (token: string) => createHash("sha256").update(token).digest("base64url");

// Signed in with a session, code + PKCE, and the token request's proof.
async function dpopTokens(api: APIRequestContext, request: APIRequestContext, key: Key) {
  const { verifier, challenge } = pkcePair();
  const authorized = await api.get(authorizePath(REDIRECT, challenge, { dpop_jkt: key.jkt }), { maxRedirects: 0 });
  const code = new URL(authorized.headers()["location"]!).searchParams.get("code")!;
  const answer = await request.post("/api/auth/token", {
    headers: { dpop: await key.sign({ htm: "POST", htu: TOKEN_URL }) },
    form: { grant_type: "authorization_code", client_id: "cli", redirect_uri: REDIRECT, code, code_verifier: verifier },
  });
  expect(answer.status(), await answer.text()).toBe(200);
  return (await answer.json()) as { access_token: string; refresh_token: string; token_type: string };
}

test("a token request with a proof gets a pair bound to its key, used as DPoP with a fresh proof each time", async ({
  sessionRequest,
  request,
  account,
}) => {
  const key = await dpopKey();
  const pair = await dpopTokens(sessionRequest, request, key);
  expect(pair.token_type).toBe("DPoP");
  expect(decodeJwt(pair.access_token).cnf).toEqual({ jkt: key.jkt });

  for (let i = 0; i < 2; i++) {
    const me = await request.get("/api/me", {
      headers: {
        authorization: `DPoP ${pair.access_token}`,
        dpop: await key.sign({ htm: "GET", htu: ME_URL, ath: ath(pair.access_token) }),
      },
    });
    expect(me.status(), await me.text()).toBe(200);
    expect(await me.json()).toMatchObject({ id: account.id });
  }
  // Introspection says it is bound, and to which key (RFC 9449 §6.2).
  const introspected = await request.post("/api/auth/introspect", {
    headers: {
      authorization: `Basic ${Buffer.from(`${INTROSPECTION_CLIENT.id}:${INTROSPECTION_CLIENT.secret}`).toString("base64")}`,
    },
    form: { token: pair.access_token },
  });
  expect(await introspected.json()).toMatchObject({ active: true, token_type: "DPoP", cnf: { jkt: key.jkt } });
  // The device routes take it too.
  const devices = await request.get("/api/devices", {
    headers: {
      authorization: `DPoP ${pair.access_token}`,
      dpop: await key.sign({ htm: "GET", htu: `${origin}/api/devices`, ath: ath(pair.access_token) }),
    },
  });
  expect(devices.status()).toBe(200);
});

test("what a thief can do with a copied DPoP token, or a copied proof: nothing", async ({
  sessionRequest,
  request,
}) => {
  const key = await dpopKey();
  const { access_token } = await dpopTokens(sessionRequest, request, key);
  const thief = await dpopKey();
  const good = () => key.sign({ htm: "GET", htu: ME_URL, ath: ath(access_token) });
  const refusals: [string, Record<string, string>, string][] = [
    ["sent as Bearer", { authorization: `Bearer ${access_token}` }, "invalid_token"],
    ["no proof", { authorization: `DPoP ${access_token}` }, "invalid_dpop_proof"],
    [
      "a proof of the thief's own key",
      { dpop: await thief.sign({ htm: "GET", htu: ME_URL, ath: ath(access_token) }) },
      "invalid_dpop_proof",
    ],
    [
      "a proof for another URL",
      { dpop: await key.sign({ htm: "GET", htu: `${origin}/api/devices`, ath: ath(access_token) }) },
      "invalid_dpop_proof",
    ],
    [
      "a proof for another method",
      { dpop: await key.sign({ htm: "POST", htu: ME_URL, ath: ath(access_token) }) },
      "invalid_dpop_proof",
    ],
    [
      "a proof for another token",
      { dpop: await key.sign({ htm: "GET", htu: ME_URL, ath: ath(`${access_token}x`) }) },
      "invalid_dpop_proof",
    ],
    [
      "a proof made two minutes ago",
      {
        dpop: await key.sign({
          htm: "GET",
          htu: ME_URL,
          ath: ath(access_token),
          iat: Math.floor(Date.now() / 1000) - 120,
        }),
      },
      "invalid_dpop_proof",
    ],
    [
      "a proof that says it is a plain JWT",
      { dpop: await key.sign({ htm: "GET", htu: ME_URL, ath: ath(access_token) }, { typ: "JWT" }) },
      "invalid_dpop_proof",
    ],
  ];
  for (const [what, headers, error] of refusals) {
    const answer = await request.get("/api/me", { headers: { authorization: `DPoP ${access_token}`, ...headers } });
    expect(answer.status(), what).toBe(401);
    expect((await answer.json()).error, what).toBe(error);
    // Both challenges, in one header (RFC 9110 §11.6.1): the error in the scheme it concerns.
    const challenges = answer.headers()["www-authenticate"];
    expect(challenges, what).toContain(
      error === "invalid_dpop_proof"
        ? 'DPoP algs="ES256 EdDSA", error="invalid_dpop_proof"'
        : 'DPoP algs="ES256 EdDSA"',
    );
    expect(challenges, what).toMatch(/^Bearer realm="session-vs-jwt"/);
  }
  // A proof seen once is refused the second time, even for its own request.
  const proof = await good();
  const headers = { authorization: `DPoP ${access_token}`, dpop: proof };
  expect((await request.get("/api/me", { headers })).status()).toBe(200);
  const replay = await request.get("/api/me", { headers });
  expect(replay.status()).toBe(401);
  expect((await replay.json()).error_description).toContain("used before");
});

test("the routes that take only Bearer refuse a bound token too: the dashboard's scenarios, the lab's bearer design", async ({
  sessionRequest,
  request,
}) => {
  const key = await dpopKey();
  const { access_token } = await dpopTokens(sessionRequest, request, key);
  const asBearer = { authorization: `Bearer ${access_token}` };
  const lab = await request.get("/api/lab/bearer-jwt/me", { headers: asBearer });
  expect(lab.status()).toBe(401);
  const flawed = await request.post("/api/scenarios/flawed-tokens", { headers: { ...asBearer, origin } });
  expect(flawed.status()).toBe(401);
});

test("an unbound token is not taken as DPoP, and a bound code needs its key at the token endpoint", async ({
  sessionRequest,
  request,
  tokens,
}) => {
  const key = await dpopKey();
  const unbound = await request.get("/api/me", {
    headers: {
      authorization: `DPoP ${tokens.accessToken}`,
      dpop: await key.sign({ htm: "GET", htu: ME_URL, ath: ath(tokens.accessToken) }),
    },
  });
  expect(unbound.status()).toBe(401);
  expect((await unbound.json()).error).toBe("invalid_token");

  // A code whose authorization named a key, exchanged with another key's proof.
  const { verifier, challenge } = pkcePair();
  const code = new URL(
    (
      await sessionRequest.get(authorizePath(REDIRECT, challenge, { dpop_jkt: key.jkt }), { maxRedirects: 0 })
    ).headers()["location"]!,
  ).searchParams.get("code")!;
  const form = {
    grant_type: "authorization_code",
    client_id: "cli",
    redirect_uri: REDIRECT,
    code,
    code_verifier: verifier,
  };
  const other = await dpopKey();
  for (const headers of [{}, { dpop: await other.sign({ htm: "POST", htu: TOKEN_URL }) }] as Record<string, string>[]) {
    const answer = await request.post("/api/auth/token", { headers, form });
    expect(answer.status()).toBe(400);
    expect((await answer.json()).error).toBe("invalid_grant");
  }
  const right = await request.post("/api/auth/token", {
    headers: { dpop: await key.sign({ htm: "POST", htu: TOKEN_URL }) },
    form,
  });
  expect(right.status()).toBe(200);
});

test("a bound refresh token needs a proof of its key; token-endpoint proofs are checked like any other", async ({
  sessionRequest,
  request,
}) => {
  const key = await dpopKey();
  const { refresh_token } = await dpopTokens(sessionRequest, request, key);
  const refresh = (headers: Record<string, string>) =>
    request.post("/api/auth/token", {
      headers,
      form: { grant_type: "refresh_token", client_id: "cli", refresh_token },
    });
  const other = await dpopKey();
  for (const headers of [{}, { dpop: await other.sign({ htm: "POST", htu: TOKEN_URL }) }] as Record<string, string>[]) {
    const answer = await refresh(headers);
    expect(answer.status()).toBe(400);
    expect(await answer.json()).toMatchObject({
      error: "invalid_grant",
      error_description: expect.stringContaining("DPoP"),
    });
  }
  const badProofs = [
    await key.sign({ htm: "POST", htu: `${origin}/api/auth/refresh` }),
    await key.sign({ htm: "GET", htu: TOKEN_URL }),
    "not-a-jwt",
  ];
  for (const dpop of badProofs) {
    const answer = await refresh({ dpop });
    expect(answer.status()).toBe(400);
    expect((await answer.json()).error).toBe("invalid_dpop_proof");
  }
  const proof = await key.sign({ htm: "POST", htu: TOKEN_URL });
  const rotated = await refresh({ dpop: proof });
  expect(rotated.status(), await rotated.text()).toBe(200);
  const next = await rotated.json();
  expect(next.token_type).toBe("DPoP");
  expect(decodeJwt(next.access_token).cnf).toEqual({ jkt: key.jkt });
  // The same proof again, on the next refresh: a replay.
  const replayed = await request.post("/api/auth/token", {
    headers: { dpop: proof },
    form: { grant_type: "refresh_token", client_id: "cli", refresh_token: next.refresh_token },
  });
  expect(replayed.status()).toBe(400);
  expect((await replayed.json()).error).toBe("invalid_dpop_proof");
});
