// The client's half of DPoP (RFC 9449): a key pair of its own, kept in the
// credentials file (0600) as a phone app keeps it in its keychain, and a
// fresh proof for every request, signed by that key over the method, the
// URL and, at a resource, the access token's hash.
import { createHash, randomUUID } from "node:crypto";
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from "jose";

export type DpopKey = { privateJwk: JWK; publicJwk: JWK };

export async function newDpopKey(): Promise<DpopKey> {
  const { privateKey, publicKey } = await generateKeyPair("ES256", { extractable: true });
  return { privateJwk: await exportJWK(privateKey), publicJwk: await exportJWK(publicKey) };
}

// `url` without query or fragment, as htu names it; `nonce`: the server's,
// when it asked for one (DPoP-Nonce).
export async function dpopProof(
  key: DpopKey,
  method: string,
  url: string,
  options: { accessToken?: string; nonce?: string } = {},
): Promise<string> {
  const target = new URL(url);
  const claims: Record<string, unknown> = {
    jti: randomUUID(),
    htm: method,
    htu: `${target.origin}${target.pathname}`,
    iat: Math.floor(Date.now() / 1000),
  };
  if (options.accessToken) claims.ath = createHash("sha256").update(options.accessToken).digest("base64url");
  if (options.nonce) claims.nonce = options.nonce;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: "ES256", typ: "dpop+jwt", jwk: key.publicJwk })
    .sign(await importJWK(key.privateJwk, "ES256"));
}
