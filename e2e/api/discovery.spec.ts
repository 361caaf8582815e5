// Discovery (RFC 8414): a service that knows only the issuer's name finds
// its keys and endpoints, and verifies our tokens with a stock library
// (jose's createRemoteJWKSet), as another service would.
import { createRemoteJWKSet, decodeJwt, jwtVerify } from "jose";
import { expect, test } from "../fixtures";
import { port } from "../test-env";

const ISSUER = `http://localhost:${port}`;

test("the metadata names the issuer every token carries, and absolute URLs that work", async ({
  request,
  account: user,
}) => {
  const answer = await request.get(`${ISSUER}/.well-known/oauth-authorization-server`);
  expect(answer.status()).toBe(200);
  expect(answer.headers()["content-type"]).toContain("application/json");
  expect(answer.headers()["cache-control"]).toBe("public, max-age=300");
  const metadata = await answer.json();
  expect(metadata).toMatchObject({
    issuer: ISSUER,
    jwks_uri: `${ISSUER}/.well-known/jwks.json`,
    token_endpoint: `${ISSUER}/api/auth/token`,
    revocation_endpoint: `${ISSUER}/api/auth/revoke`,
    grant_types_supported: ["authorization_code", "refresh_token", "password"],
    response_types_supported: ["code"],
    access_token_signing_alg_values_supported: ["ES256"],
  });
  for (const [name, value] of Object.entries(metadata)) {
    if (name.endsWith("_uri") || name.endsWith("_endpoint")) expect(value, name).toMatch(/^http:\/\/localhost:\d+\//);
  }

  const signIn = await request.post(metadata.token_endpoint, { data: { email: user.email, password: user.password } });
  expect(signIn.status()).toBe(200);
  const { access_token } = await signIn.json();
  expect(decodeJwt(access_token).iss).toBe(metadata.issuer);

  // Another service may keep the JWKS this long (JWKS_MAX_AGE on the test server).
  const jwks = await request.get(metadata.jwks_uri);
  expect(jwks.headers()["cache-control"]).toBe("public, max-age=2");

  // What another service does with nothing but the metadata.
  const keys = createRemoteJWKSet(new URL(metadata.jwks_uri));
  const { payload, protectedHeader } = await jwtVerify(access_token, keys, {
    issuer: metadata.issuer,
    audience: "session-vs-jwt-api",
    typ: "at+jwt",
    algorithms: metadata.access_token_signing_alg_values_supported,
  });
  expect(payload).toMatchObject({ sub: user.id, email: user.email });
  expect(protectedHeader.typ).toBe("at+jwt");
});
