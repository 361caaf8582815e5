// PKCE (RFC 7636): the client proves at the token endpoint that it is the
// one that started the authorization, by showing the verifier whose SHA-256
// it sent then. Only S256: "plain" would send the verifier itself through
// the browser, which is what PKCE exists to avoid (OAuth 2.1 §7.5.2).
import { createHash, timingSafeEqual } from "node:crypto";

// RFC 7636 §4.1: 43 to 128 characters of [A-Z] / [a-z] / [0-9] / "-" / "." / "_" / "~".
const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;
// §4.2: BASE64URL(SHA256(verifier)), 32 bytes: 43 characters, no padding.
const CHALLENGE = /^[A-Za-z0-9\-_]{43}$/;

export function isCodeChallenge(value: string): boolean {
  return CHALLENGE.test(value);
}

export function codeChallengeOf(verifier: string): string {
  return createHash("sha256").update(verifier, "ascii").digest("base64url");
}

export function verifierMatches(verifier: string, challenge: string): boolean {
  if (!VERIFIER.test(verifier)) return false;
  const computed = Buffer.from(codeChallengeOf(verifier));
  const expected = Buffer.from(challenge);
  return computed.length === expected.length && timingSafeEqual(computed, expected);
}
