// Access tokens (RFC 9068 profile, checked per RFC 8725): issue and verify.
// Verification trusts nothing in the token's header but `alg` (from an
// allow-list, and it must match the key) and `kid` (looked up in our own key
// set); every failure is a typed error, never an exception.
import { randomUUID } from "node:crypto";
import { decodeJwt, decodeProtectedHeader, errors, jwtVerify, SignJWT, type JWTPayload } from "jose";
import { config } from "@/lib/config";
import type { Failure, Result } from "@/lib/errors";
import { findVerificationKey, getSigningKey } from "@/lib/auth/keys";
import { findAccessTokenRevocation, isDenylistEnabled } from "@/lib/auth/denylist";
import { LruCache } from "@/lib/lru";

export const ACCESS_TOKEN_TYPE = "at+jwt";
const ALLOWED_ALGORITHMS = ["ES256", "EdDSA"];
// An ES256 token of ours is ~500 bytes; refusing far larger input early
// bounds the work an attacker can cause.
export const MAX_TOKEN_LENGTH = 4096;
const FORBIDDEN_HEADERS = ["jku", "x5u", "jwk", "x5c", "x5t", "x5t#S256"];

export type AccessTokenClaims = JWTPayload & {
  iss: string;
  aud: string | string[];
  sub: string;
  iat: number;
  exp: number;
  jti: string;
  client_id: string;
  sid: string;
  email: string;
  // What an app keeps about the user in the token (roles, permissions, a
  // name); only the strategies lab sets one, to find where a token stops fitting.
  profile?: string;
  // RFC 9449 §6.1: the thumbprint of the DPoP key the token is bound to.
  cnf?: { jkt: string };
};

export type TokenErrorCode =
  | "malformed"
  | "oversized"
  | "unsupported_header"
  | "alg_not_allowed"
  | "wrong_type"
  | "unknown_kid"
  | "bad_signature"
  | "expired"
  | "not_yet_valid"
  | "wrong_issuer"
  | "wrong_audience"
  | "missing_claim"
  | "revoked"
  | "dpop_bound";

export type TokenError = Failure<TokenErrorCode>;

// Signature and claims checked; the denylist not yet.
type SignedToken = { claims: AccessTokenClaims; kid: string; alg: string };
export type VerifiedToken = SignedToken & { checkedDenylist: boolean };
export type VerifyResult = Result<VerifiedToken, TokenError>;

export async function issueAccessToken(
  user: { id: string; email: string },
  options: { clientId: string; familyId: string; ttlMs?: number; now?: Date; profile?: string; jkt?: string | null },
): Promise<{ token: string; claims: AccessTokenClaims; kid: string }> {
  const policy = config().jwt;
  const key = await getSigningKey();
  const iat = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const claims: AccessTokenClaims = {
    iss: policy.issuer,
    aud: policy.audience,
    sub: user.id,
    iat,
    exp: iat + Math.floor((options.ttlMs ?? policy.accessTokenTtlMs) / 1000),
    jti: randomUUID(),
    client_id: options.clientId,
    sid: options.familyId,
    email: user.email,
    ...(options.profile !== undefined && { profile: options.profile }),
    ...(options.jkt && { cnf: { jkt: options.jkt } }),
  };
  const token = await new SignJWT(claims)
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: ACCESS_TOKEN_TYPE })
    .sign(key.privateKey);
  return { token, claims, kid: key.kid };
}

function fail(code: TokenErrorCode, description: string): { ok: false; error: TokenError } {
  return { ok: false, error: tokenError(code, description) };
}

const tokenError = (code: TokenErrorCode, description: string): TokenError => ({ code, description });

function fromJoseError(error: unknown): TokenError {
  if (error instanceof errors.JWTExpired) return tokenError("expired", "The access token expired.");
  if (error instanceof errors.JWTClaimValidationFailed) {
    switch (error.claim) {
      case "iss":
        return tokenError("wrong_issuer", "The token was not issued by this server.");
      case "aud":
        return tokenError("wrong_audience", "The token is not meant for this API.");
      case "nbf":
      case "iat":
        return error.reason === "missing"
          ? tokenError("missing_claim", `The token has no "${error.claim}" claim.`)
          : tokenError("not_yet_valid", "The token is not valid yet.");
      case "typ":
        return tokenError("wrong_type", `The token's type is not "${ACCESS_TOKEN_TYPE}".`);
      default:
        return tokenError("missing_claim", `The token's "${error.claim}" claim is missing or invalid.`);
    }
  }
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return tokenError("bad_signature", "The token's signature does not verify.");
  if (error instanceof errors.JOSEAlgNotAllowed)
    return tokenError("alg_not_allowed", "The token's algorithm is not allowed.");
  return tokenError("malformed", "The token is not a well-formed JWT.");
}

const REQUIRED_CLAIMS = ["iss", "aud", "sub", "iat", "exp", "jti", "client_id", "sid"];

// A token that passed every check is remembered (bounded, like an API
// gateway's JWT cache): its signature and fixed claims cannot change, and a
// token that failed any check never gets in. What time can change is checked
// again on each use: expiry and not-before (same tolerance), that its key is
// still published, and the denylist. An ES256 verify costs ~0.3–0.4 ms here;
// a hit, a few microseconds (bench).
const VERIFIED_CACHE_SIZE = 10_000;
const verifiedTokens = new LruCache<string, SignedToken>(VERIFIED_CACHE_SIZE);

async function stillValid(verified: SignedToken, now: Date): Promise<boolean> {
  const seconds = now.getTime() / 1000;
  const tolerance = config().jwt.clockToleranceSeconds;
  const { exp, nbf } = verified.claims;
  if (exp <= seconds - tolerance || (typeof nbf === "number" && nbf > seconds + tolerance)) return false;
  return (await findVerificationKey(verified.kid)) !== null;
}

// Whether `verifySignedAccessToken` would answer this token from memory.
export function wasVerifiedBefore(token: string): boolean {
  return verifiedTokens.has(token);
}

// Signature, key and claims, without asking about revocation (the caller
// does, as introspection does in its own way): the full price once per
// token, then from memory while it is still valid.
export async function verifySignedAccessToken(
  token: string,
  now = new Date(),
): Promise<Result<SignedToken, TokenError>> {
  const known = verifiedTokens.get(token);
  if (known && (await stillValid(known, now))) return { ok: true, value: known };
  verifiedTokens.delete(token);
  const verified = await verifySignedToken(token, now);
  if (verified.ok) verifiedTokens.set(token, verified.value);
  return verified;
}

// For the places that take only `Authorization: Bearer` (the dashboard's
// scenarios, the strategies lab's bearer design): a token bound to a DPoP
// key is refused there, or a thief could use it as Bearer (RFC 9449 §7.2).
export async function verifyBearerAccessToken(token: string, now = new Date()): Promise<VerifyResult> {
  const verified = await verifyAccessToken(token, now);
  if (verified.ok && verified.value.claims.cnf)
    return fail("dpop_bound", "This access token is bound to a DPoP key: it is not accepted as Bearer here.");
  return verified;
}

export async function verifyAccessToken(token: string, now = new Date()): Promise<VerifyResult> {
  const signed = await verifySignedAccessToken(token, now);
  return signed.ok ? withDenylist(signed.value) : signed;
}

async function withDenylist(verified: SignedToken): Promise<VerifyResult> {
  const checkedDenylist = await isDenylistEnabled();
  const revoked = checkedDenylist ? await findAccessTokenRevocation(verified.claims) : null;
  if (revoked === "token") return fail("revoked", "The access token was revoked.");
  if (revoked === "family")
    return fail("revoked", "The access token's device was signed out (its refresh family ended).");
  return { ok: true, value: { ...verified, checkedDenylist } };
}

// Every RFC 8725 check and the signature: the full price, paid once per token.
async function verifySignedToken(token: string, now: Date): Promise<Result<SignedToken, TokenError>> {
  if (token.length > MAX_TOKEN_LENGTH)
    return fail("oversized", `The token is longer than ${MAX_TOKEN_LENGTH} characters.`);
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    return fail("malformed", "The token is not a well-formed JWT.");
  }
  const forbidden = FORBIDDEN_HEADERS.find((name) => name in header);
  if (forbidden)
    return fail(
      "unsupported_header",
      `The token names its own key ("${forbidden}"); only this server's keys are used.`,
    );
  if (typeof header.alg !== "string" || !ALLOWED_ALGORITHMS.includes(header.alg)) {
    return fail("alg_not_allowed", `The token's algorithm "${String(header.alg).slice(0, 20)}" is not allowed.`);
  }
  if (typeof header.kid !== "string") return fail("unknown_kid", "The token names no signing key (kid).");

  const key = await findVerificationKey(header.kid);
  if (!key) return fail("unknown_kid", "The token was signed by a key this server does not know.");
  if (key.alg !== header.alg) return fail("alg_not_allowed", `Key ${key.kid} is an ${key.alg} key, not ${header.alg}.`);

  const policy = config().jwt;
  let claims: AccessTokenClaims;
  try {
    const result = await jwtVerify<AccessTokenClaims>(token, key.publicKey, {
      algorithms: [key.alg],
      issuer: policy.issuer,
      audience: policy.audience,
      typ: ACCESS_TOKEN_TYPE,
      requiredClaims: REQUIRED_CLAIMS,
      clockTolerance: policy.clockToleranceSeconds,
      currentDate: now,
    });
    claims = result.payload;
  } catch (error) {
    return { ok: false, error: fromJoseError(error) };
  }
  if (typeof claims.client_id !== "string" || typeof claims.sid !== "string" || typeof claims.jti !== "string") {
    return fail("missing_claim", "The token's client_id, sid or jti claim is not a string.");
  }
  return { ok: true, value: { claims, kid: key.kid, alg: key.alg } };
}

// Who an access token says its holder is: from its claims alone, no lookup
// (GET /api/me).
export function describeTokenHolder({ claims, kid }: VerifiedToken) {
  return {
    id: claims.sub,
    email: claims.email,
    client_id: claims.client_id,
    token: { jti: claims.jti, kid, exp: claims.exp },
  };
}

export type TokenHolder = ReturnType<typeof describeTokenHolder>;

// For revocation (RFC 7009): any token this server signed, however old. The
// signature and every other check still apply; only the clock is set to
// just before its expiry, so an expired token (kept by a client that was
// offline, say) still ends its refresh family.
export async function verifyAccessTokenForRevocation(token: string): Promise<Result<SignedToken, TokenError>> {
  let exp: unknown;
  try {
    exp = decodeJwt(token).exp;
  } catch {
    return fail("malformed", "The token is not a well-formed JWT.");
  }
  if (typeof exp !== "number" || !Number.isFinite(exp)) return fail("missing_claim", 'The token has no "exp" claim.');
  return verifySignedToken(token, new Date(Math.min(Date.now(), (exp - 1) * 1000)));
}
