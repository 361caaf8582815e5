// Tokens this issuer signed wrongly on purpose, for the token workbench:
// an attacker who edits `exp`, `aud` or `typ` breaks the signature, so the
// server never gets as far as checking those claims. To show that each
// check exists and what it answers, the issuer itself signs three copies of
// the caller's own valid token, each with one flaw. None of them can do
// more than the token it was made from: same subject, same `jti` and `sid`
// (so revoking the original, or its device, covers them too), and never a
// later `exp`. The wrong audience is under `.invalid` (RFC 6761), which no
// service can own; the wrong type is the one a verifier that skips the
// `typ` check would take, for exactly what the caller already holds.
import "server-only";
import { SignJWT } from "jose";
import { config } from "@/lib/config";
import { getSigningKey } from "@/lib/auth/keys";
import { ACCESS_TOKEN_TYPE, type AccessTokenClaims } from "@/lib/auth/jwt";

export const FLAWS = ["expired", "wrong_audience", "wrong_type"] as const;
export type Flaw = (typeof FLAWS)[number];
export const FOREIGN_AUDIENCE = "https://wrong-audience.invalid";

export async function signFlawedTokens(claims: AccessTokenClaims, now = new Date()): Promise<Record<Flaw, string>> {
  const key = await getSigningKey();
  const seconds = Math.floor(now.getTime() / 1000);
  // Expired by more than any verifier's clock tolerance.
  const past = seconds - 10 * 60 - config().jwt.clockToleranceSeconds;
  const sign = (payload: AccessTokenClaims, typ = ACCESS_TOKEN_TYPE) =>
    new SignJWT(payload).setProtectedHeader({ alg: key.alg, kid: key.kid, typ }).sign(key.privateKey);
  return {
    expired: await sign({ ...claims, iat: Math.min(claims.iat, past - 60), exp: past }),
    wrong_audience: await sign({ ...claims, aud: FOREIGN_AUDIENCE }),
    wrong_type: await sign(claims, "JWT"),
  };
}
