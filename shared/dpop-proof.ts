// A DPoP proof (RFC 9449 §4), checked as far as it can be without memory:
// its form, its signature by the public key it carries, and its claims
// against the request it came with. What it cannot know is whether the same
// proof was shown before: lib/auth/dpop.ts keeps that record in the store,
// resource-server/ in its own memory. Nothing of the app's (shared/ is
// what the standards say, used by every program here).
import { createHash } from "node:crypto";
import { calculateJwkThumbprint, decodeProtectedHeader, EmbeddedJWK, errors, jwtVerify, type JWK } from "jose";
import { DPOP_ALGORITHMS } from "./dpop-algorithms";

const PROOF_TYPE = "dpop+jwt";
// A proof is accepted this long after its iat, give or take
// CLOCK_SKEW_SECONDS for clocks that disagree (so up to 65 s old, or 5 s
// ahead): long enough for a slow network, short enough that the replay
// record stays small.
export const PROOF_MAX_AGE_SECONDS = 60;
const CLOCK_SKEW_SECONDS = 5;
const MAX_PROOF_LENGTH = 4096;
const MAX_JTI_LENGTH = 256;
// Members only a private or symmetric key has (RFC 7517, RFC 7518 §6).
const PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "k", "oth"];

export type DpopError = { code: "invalid_dpop_proof"; description: string };

// An access token in an Authorization header: the scheme (any case), spaces,
// then a b64token (RFC 6750 §2.1, RFC 9449 §7.1).
export const ACCESS_TOKEN_AUTHORIZATION = /^(Bearer|DPoP) +([A-Za-z0-9\-._~+/]+=*)$/i;

// A token bound to a key (`boundTo`, its cnf.jkt) is taken only as DPoP, an
// unbound one only as Bearer (RFC 9449 §7.1, §7.2): a downgrade either way
// is refused. The refusal's description, or null when the scheme fits.
export function schemeMismatch(scheme: "Bearer" | "DPoP", boundTo: string | undefined): string | null {
  if (boundTo)
    return scheme === "DPoP"
      ? null
      : "This access token is bound to a DPoP key: send it as Authorization: DPoP, with a proof.";
  return scheme === "Bearer" ? null : "This access token is not bound to a DPoP key: send it as Bearer.";
}

export const OTHER_KEY = "The DPoP proof is signed by another key than the token's.";

type ProofClaims = { jti: string; htm: string; htu: string; iat: number; ath?: string; nonce?: unknown };

// What the proof must be about: this request's method and its URL as the
// client addressed it (the server's public URL and the path, without query or
// fragment, RFC 9449 §4.3), and at a resource the access token it carries.
export type ProofContext = { method: string; url: string; accessToken?: string };

const refuse = (description: string): { ok: false; error: DpopError } => ({
  ok: false,
  error: { code: "invalid_dpop_proof", description },
});

// The base64url SHA-256 of a token, as `ath` carries it (§4.2).
function accessTokenHash(token: string): string {
  return createHash("sha256").update(token, "ascii").digest("base64url");
}

// Compared as the URL parser normalises them (RFC 3986 §6.2.2 and §6.2.3 in
// part: scheme and host case, default port, dot segments), without query and
// fragment. Percent-encodings are compared as written: a client that writes
// the path differently from the server is refused, never the reverse.
function normalisedTarget(uri: string): string | null {
  try {
    const url = new URL(uri);
    return `${url.origin}${url.pathname}`;
  } catch {
    return null;
  }
}

// `nonce`: the proof's nonce claim, for a server that gives out nonces.
export type CheckedProof = { jkt: string; jti: string; iat: number; nonce: unknown };

// Everything but replay. `jti` and `iat` are for the caller's replay record.
export async function checkDpopProof(
  proof: string | null,
  context: ProofContext,
  now = new Date(),
): Promise<{ ok: true; value: CheckedProof } | { ok: false; error: DpopError }> {
  if (proof === null) return refuse("No DPoP proof was sent (the DPoP header).");
  if (proof.length > MAX_PROOF_LENGTH) return refuse(`The DPoP proof is longer than ${MAX_PROOF_LENGTH} characters.`);
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(proof);
  } catch {
    return refuse("The DPoP proof is not a well-formed JWT.");
  }
  if (header.typ !== PROOF_TYPE) return refuse(`The DPoP proof's typ is not "${PROOF_TYPE}".`);
  if (typeof header.alg !== "string" || !DPOP_ALGORITHMS.includes(header.alg))
    return refuse(`The DPoP proof's algorithm must be one of ${DPOP_ALGORITHMS.join(", ")}.`);
  const jwk = header.jwk as JWK | undefined;
  if (typeof jwk !== "object" || jwk === null || PRIVATE_MEMBERS.some((member) => member in jwk))
    return refuse("The DPoP proof must carry its public key (jwk), and only a public key.");
  let claims: ProofClaims;
  try {
    const verified = await jwtVerify<ProofClaims>(proof, EmbeddedJWK, {
      typ: PROOF_TYPE,
      algorithms: DPOP_ALGORITHMS,
      requiredClaims: ["jti", "htm", "htu", "iat"],
      maxTokenAge: PROOF_MAX_AGE_SECONDS,
      clockTolerance: CLOCK_SKEW_SECONDS,
      currentDate: now,
    });
    claims = verified.payload;
  } catch (error) {
    if (error instanceof errors.JWTClaimValidationFailed || error instanceof errors.JWTExpired)
      return refuse(
        `The DPoP proof's ${error instanceof errors.JWTExpired ? "iat" : error.claim} is not acceptable (too old, in the future, or missing).`,
      );
    return refuse("The DPoP proof's signature does not verify with the key it carries.");
  }
  if (typeof claims.jti !== "string" || claims.jti.length === 0 || claims.jti.length > MAX_JTI_LENGTH)
    return refuse("The DPoP proof's jti must be a string of at most 256 characters.");
  if (claims.htm !== context.method)
    return refuse(`The DPoP proof is for ${String(claims.htm).slice(0, 10)}, not ${context.method}.`);
  const htu = typeof claims.htu === "string" ? normalisedTarget(claims.htu) : null;
  if (htu === null || htu !== normalisedTarget(context.url)) return refuse("The DPoP proof is for another URL (htu).");
  if (context.accessToken !== undefined && claims.ath !== accessTokenHash(context.accessToken))
    return refuse("The DPoP proof is not for this access token (ath).");
  let jkt: string;
  try {
    jkt = await calculateJwkThumbprint(jwk, "sha256");
  } catch {
    // A key the import took (it turns some odd members into strings) whose
    // members the thumbprint cannot read as the RFC has them.
    return refuse("The DPoP proof's jwk is not a well-formed public key.");
  }
  return { ok: true, value: { jkt, jti: claims.jti, iat: claims.iat, nonce: claims.nonce } };
}

// How long after its iat a proof's record must be kept to refuse its replay:
// past the last moment the age check still lets it in (jose compares whole
// seconds, so a proof is accepted until a second after its limit).
export function proofRecordExpiry(iat: number): Date {
  return new Date((iat + PROOF_MAX_AGE_SECONDS + CLOCK_SKEW_SECONDS + 1) * 1000);
}
