// Tokens this issuer signed wrongly on purpose, for the token workbench:
// an attacker who edits `exp`, `aud` or `typ` breaks the signature, so the
// server never gets as far as checking those claims. To show that each
// check exists and what it answers, the issuer itself signs three copies of
// the caller's own valid token, each with one flaw. None of them can do
// more than the token it was made from:
// - only a token signed with the current key is copied, with the same key,
//   so a copy never moves a token onto a newer key (an old or leaked key's
//   tokens stay behind when that key is withdrawn);
// - the same subject, `jti` and `sid`, so the records that revoke the
//   original match them too, and only the access-token claims this issuer
//   writes;
// - never a later `exp`, and never past one access-token lifetime from now.
// The wrong audience is under `.invalid` (RFC 6761), which no service can
// own. The wrong type (`typ: JWT`) is what a verifier that skips the `typ`
// check would take, for exactly what the caller already holds; this issuer
// signs no other kind of token (no ID tokens) that it could be mistaken for.
import "server-only";
import { SignJWT } from "jose";
import { config } from "@/lib/config";
import type { Result } from "@/lib/errors";
import { getSigningKey } from "@/lib/auth/keys";
import { ACCESS_TOKEN_TYPE, type AccessTokenClaims, type VerifiedToken } from "@/lib/auth/jwt";

export type FlawedTokens = { expired: string; wrong_audience: string; wrong_type: string };

const FOREIGN_AUDIENCE = "https://wrong-audience.invalid";

export async function signFlawedTokens({ claims, kid }: VerifiedToken): Promise<Result<FlawedTokens>> {
  const key = await getSigningKey();
  if (kid !== key.kid)
    return {
      ok: false,
      error: {
        code: "conflict",
        description: "The token was signed with an earlier key: refresh it, then ask again.",
      },
    };
  const policy = config().jwt;
  const now = Math.floor(Date.now() / 1000);
  const { iss, aud, sub, iat, jti, client_id, sid, email } = claims;
  const exp = Math.min(claims.exp, now + Math.floor(policy.accessTokenTtlMs / 1000));
  const copy: AccessTokenClaims = { iss, aud, sub, iat, exp, jti, client_id, sid, email };
  // Expired by more than any verifier's clock tolerance.
  const past = now - 10 * 60 - policy.clockToleranceSeconds;
  const sign = (payload: AccessTokenClaims, typ = ACCESS_TOKEN_TYPE) =>
    new SignJWT(payload).setProtectedHeader({ alg: key.alg, kid: key.kid, typ }).sign(key.privateKey);
  return {
    ok: true,
    value: {
      expired: await sign({ ...copy, iat: Math.min(iat, past - 60), exp: past }),
      wrong_audience: await sign({ ...copy, aud: FOREIGN_AUDIENCE }),
      wrong_type: await sign(copy, "JWT"),
    },
  };
}
