// DPOP_NONCE=on (RFC 9449 §8, §9): proofs must carry a nonce this server
// gave out. A proof without one is refused with a fresh nonce in DPoP-Nonce,
// and the client signs again with it; a stock client (oauth4webapi) does
// that retry as its documentation shows.
import { createHash, randomUUID } from "node:crypto";
import { request as requests } from "@playwright/test";
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT } from "jose";
import * as oauth from "oauth4webapi";
import { expect, makeAccount, test } from "../fixtures";
import { authorizePath, pkcePair } from "../oauth";
import { useOwnServer } from "../own-server";
import { port } from "../test-env";

// Its own public URL: the issuer its tokens name and the URL proofs name.
const server = useOwnServer("dpop-nonce", 25, { DPOP_NONCE: "on", PUBLIC_URL: `http://127.0.0.1:${port + 25}` });
const REDIRECT = "http://127.0.0.1:53710/callback";

async function signedIn() {
  const account = await makeAccount(server.url);
  const api = await requests.newContext({ baseURL: server.url });
  const answer = await api.post("/api/session", {
    headers: { origin: server.url },
    data: { email: account.email, password: account.password },
  });
  expect(answer.status()).toBe(200);
  return { account, api };
}

async function codeFor(api: Awaited<ReturnType<typeof signedIn>>["api"], challenge: string) {
  const answer = await api.get(authorizePath(REDIRECT, challenge), { maxRedirects: 0 });
  return new URL(answer.headers()["location"]!).searchParams.get("code")!;
}

test("a proof without the server's nonce is refused with one to use; signed again with it, it is accepted", async () => {
  const { account, api } = await signedIn();
  const { privateKey, publicKey } = await generateKeyPair("ES256");
  const jwk = await exportJWK(publicKey);
  const proof = (claims: Record<string, string>) =>
    new SignJWT({ jti: randomUUID(), iat: Math.floor(Date.now() / 1000), ...claims })
      .setProtectedHeader({ alg: "ES256", typ: "dpop+jwt", jwk })
      .sign(privateKey);
  const { verifier, challenge } = pkcePair();
  const code = await codeFor(api, challenge);
  const form = {
    grant_type: "authorization_code",
    client_id: "cli",
    redirect_uri: REDIRECT,
    code,
    code_verifier: verifier,
  };
  const tokenUrl = `${server.url}/api/auth/token`;

  const first = await api.post("/api/auth/token", {
    headers: { dpop: await proof({ htm: "POST", htu: tokenUrl }) },
    form,
  });
  expect(first.status()).toBe(400);
  expect((await first.json()).error).toBe("use_dpop_nonce");
  const nonce = first.headers()["dpop-nonce"]!;
  expect(nonce).toMatch(/^[A-Za-z0-9_-]{43}$/);
  const made = await proof({ htm: "POST", htu: tokenUrl, nonce: "made-up" });
  expect((await api.post("/api/auth/token", { headers: { dpop: made }, form })).status()).toBe(400);

  const issued = await api.post("/api/auth/token", {
    headers: { dpop: await proof({ htm: "POST", htu: tokenUrl, nonce }) },
    form,
  });
  expect(issued.status(), await issued.text()).toBe(200);
  const { access_token } = await issued.json();
  expect(JSON.parse(Buffer.from(access_token.split(".")[1], "base64url").toString()).cnf).toEqual({
    jkt: await calculateJwkThumbprint(jwk, "sha256"),
  });

  const ath = createHash("sha256").update(access_token).digest("base64url");
  const meUrl = `${server.url}/api/me`;
  const bare = await api.get("/api/me", {
    headers: { authorization: `DPoP ${access_token}`, dpop: await proof({ htm: "GET", htu: meUrl, ath }) },
  });
  expect(bare.status()).toBe(401);
  expect(bare.headers()["www-authenticate"]).toContain('error="use_dpop_nonce"');
  expect(bare.headers()["dpop-nonce"]).toBe(nonce);
  const me = await api.get("/api/me", {
    headers: { authorization: `DPoP ${access_token}`, dpop: await proof({ htm: "GET", htu: meUrl, ath, nonce }) },
  });
  expect(me.status()).toBe(200);
  expect(await me.json()).toMatchObject({ id: account.id });
  await api.dispose();
});

test("oauth4webapi takes the nonce and retries, as its documentation shows", async () => {
  const { api } = await signedIn();
  const options = { [oauth.allowInsecureRequests]: true };
  const issuer = new URL(server.url);
  const as = await oauth.processDiscoveryResponse(
    issuer,
    await oauth.discoveryRequest(issuer, { algorithm: "oauth2", ...options }),
  );
  const client: oauth.Client = { client_id: "cli" };
  const DPoP = oauth.DPoP(client, await oauth.generateKeyPair("ES256"));
  const codeVerifier = oauth.generateRandomCodeVerifier();
  const code = await codeFor(api, await oauth.calculatePKCECodeChallenge(codeVerifier));
  const params = oauth.validateAuthResponse(
    as,
    client,
    new URL(`${REDIRECT}?code=${code}&iss=${encodeURIComponent(as.issuer)}`),
    oauth.skipStateCheck,
  );
  const exchange = () =>
    oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, REDIRECT, codeVerifier, {
      ...options,
      DPoP,
    });
  let tokens: oauth.TokenEndpointResponse;
  try {
    tokens = await oauth.processAuthorizationCodeResponse(as, client, await exchange());
  } catch (error) {
    expect(oauth.isDPoPNonceError(error)).toBe(true);
    tokens = await oauth.processAuthorizationCodeResponse(as, client, await exchange());
  }
  expect(tokens.token_type).toBe("dpop");
  const me = await oauth.protectedResourceRequest(
    tokens.access_token,
    "GET",
    new URL(`${server.url}/api/me`),
    undefined,
    undefined,
    {
      ...options,
      DPoP,
    },
  );
  expect(me.status).toBe(200);
  await api.dispose();
});
