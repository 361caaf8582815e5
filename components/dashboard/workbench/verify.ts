// Checking a token's signature in the page, as any other service would:
// against this server's published key set, or against a public key pasted
// in (PEM or JWK). Only the signature: whether the claims are acceptable is
// each API's own decision, which the workbench shows by sending the token.
import {
  compactVerify,
  createLocalJWKSet,
  decodeProtectedHeader,
  errors,
  importJWK,
  importSPKI,
  type CryptoKey,
  type JSONWebKeySet,
  type JWK,
} from "jose";
import { isJsonObject } from "../jwt-decode";

// Never HMAC: a public key is not a secret, and a verifier that accepts
// HS256 with one is the algorithm confusion the workbench demonstrates.
const ALGORITHMS = ["ES256", "ES384", "EdDSA", "Ed25519", "RS256", "PS256"];

export type SignatureCheck =
  { ok: true; alg: string; kid: string | null } | { ok: false; code: string; reason: string };

function refused(error: unknown): SignatureCheck {
  if (error instanceof errors.JOSEError) return { ok: false, code: error.code, reason: error.message };
  return { ok: false, code: "ERR_INPUT", reason: (error as Error).message };
}

// A pasted key: PEM ("-----BEGIN PUBLIC KEY-----"), one JWK, or a JWKS.
async function keyFromText(text: string, alg: string) {
  const trimmed = text.trim();
  if (trimmed.startsWith("-----BEGIN")) return importSPKI(trimmed, alg);
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    parsed = null;
  }
  if (!isJsonObject(parsed)) throw new Error("Not a PEM public key, a JWK or a JWKS.");
  if ("keys" in parsed) return createLocalJWKSet(parsed as unknown as JSONWebKeySet);
  return (await importJWK(parsed as JWK, alg)) as CryptoKey;
}

export async function verifySignature(token: string, key: JSONWebKeySet | { text: string }): Promise<SignatureCheck> {
  try {
    const header = decodeProtectedHeader(token);
    if (typeof header.alg !== "string" || !ALGORITHMS.includes(header.alg))
      return {
        ok: false,
        code: "ERR_JOSE_ALG_NOT_ALLOWED",
        reason: `"${String(header.alg)}" is not a public-key algorithm.`,
      };
    const verifier = "keys" in key ? createLocalJWKSet(key) : await keyFromText(key.text, header.alg);
    const { protectedHeader } = await compactVerify(token, verifier as Parameters<typeof compactVerify>[1], {
      algorithms: ALGORITHMS,
    });
    return { ok: true, alg: protectedHeader.alg, kid: protectedHeader.kid ?? null };
  } catch (error) {
    return refused(error);
  }
}
