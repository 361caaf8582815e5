// A stock OAuth client, used as its documentation shows: panva's
// oauth4webapi, from discovery to revocation against this issuer, with
// code + PKCE and DPoP-bound tokens. Nothing of
// this project is on the client's side; the person's part (being signed in
// and sent back with a code) is an HTTP request that carries their session
// cookie, as their browser would send it.
import * as oauth from "oauth4webapi";
import { expect, test } from "../fixtures";
import { origin, RESOURCE_SERVER_URL } from "../test-env";

// The test servers run on http://localhost, which the library refuses unless told.
const options = { [oauth.allowInsecureRequests]: true };
const redirectUri = "http://127.0.0.1:43117/callback";

test("oauth4webapi signs in with code + PKCE and DPoP, calls /api/me and the resource server, refreshes and revokes", async ({
  sessionRequest,
  account,
}) => {
  const issuer = new URL(origin);
  const as = await oauth.processDiscoveryResponse(
    issuer,
    await oauth.discoveryRequest(issuer, { algorithm: "oauth2", ...options }),
  );
  const client: oauth.Client = { client_id: "cli" };
  const clientAuth = oauth.None();
  // The key the tokens are bound to, made as the library's docs show (RFC 9449).
  const DPoP = oauth.DPoP(client, await oauth.generateKeyPair("ES256"));

  const codeVerifier = oauth.generateRandomCodeVerifier();
  const codeChallenge = await oauth.calculatePKCECodeChallenge(codeVerifier);
  const state = oauth.generateRandomState();
  const authorizationUrl = new URL(as.authorization_endpoint!);
  authorizationUrl.searchParams.set("client_id", client.client_id);
  authorizationUrl.searchParams.set("redirect_uri", redirectUri);
  authorizationUrl.searchParams.set("response_type", "code");
  authorizationUrl.searchParams.set("code_challenge", codeChallenge);
  authorizationUrl.searchParams.set("code_challenge_method", "S256");
  authorizationUrl.searchParams.set("state", state);

  // The browser's part: signed in, it is sent straight back with the code.
  const authorization = await sessionRequest.get(authorizationUrl.href, { maxRedirects: 0 });
  expect(authorization.status()).toBe(302);
  const callback = new URL(authorization.headers()["location"]!);

  const params = oauth.validateAuthResponse(as, client, callback, state);
  const response = await oauth.authorizationCodeGrantRequest(
    as,
    client,
    clientAuth,
    params,
    redirectUri,
    codeVerifier,
    { ...options, DPoP },
  );
  const tokens = await oauth.processAuthorizationCodeResponse(as, client, response);
  expect(tokens.token_type).toBe("dpop");
  expect(tokens.refresh_token).toEqual(expect.any(String));

  const me = await oauth.protectedResourceRequest(
    tokens.access_token,
    "GET",
    new URL(`${origin}/api/me`),
    undefined,
    undefined,
    { ...options, DPoP },
  );
  expect(me.status).toBe(200);
  expect(await me.json()).toMatchObject({ id: account.id, email: account.email, client_id: "cli" });

  const whoami = await oauth.protectedResourceRequest(
    tokens.access_token,
    "GET",
    new URL(`${RESOURCE_SERVER_URL}/whoami`),
    undefined,
    undefined,
    { ...options, DPoP },
  );
  expect(whoami.status).toBe(200);
  expect(await whoami.json()).toMatchObject({ sub: account.id });

  const refreshed = await oauth.processRefreshTokenResponse(
    as,
    client,
    await oauth.refreshTokenGrantRequest(as, client, clientAuth, tokens.refresh_token!, { ...options, DPoP }),
  );
  expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
  expect(refreshed.token_type).toBe("dpop");

  // The same access token without the key: refused here and at the other service.
  for (const url of [`${origin}/api/me`, `${RESOURCE_SERVER_URL}/whoami`]) {
    const stolen = await fetch(url, { headers: { authorization: `Bearer ${refreshed.access_token}` } });
    expect(stolen.status, url).toBe(401);
  }

  await oauth.processRevocationResponse(
    await oauth.revocationRequest(as, client, clientAuth, refreshed.refresh_token!, options),
  );
  const afterRevocation = oauth.refreshTokenGrantRequest(as, client, clientAuth, refreshed.refresh_token!, {
    ...options,
    DPoP,
  });
  await expect(oauth.processRefreshTokenResponse(as, client, await afterRevocation)).rejects.toMatchObject({
    error: "invalid_grant",
  });
});
