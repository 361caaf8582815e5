// The token endpoints' work: issue a pair, rotate it, revoke (RFC 7009).
// Browser clients (client_id "browser") get the refresh token in an
// HttpOnly, SameSite=Strict cookie scoped to the refresh path, never in the
// JSON, so page script can hold only the short-lived access token.
import { cookies } from "next/headers";
import { config } from "@/lib/config";
import { isSecureRequest, type ClientInfo } from "@/lib/http";
import { denylistAccessToken, issueAccessToken, verifyAccessTokenForRevocation } from "@/lib/auth/jwt";
import {
  findFamilyByToken,
  revokeFamily,
  rotateRefreshToken,
  startRefreshFamily,
  type RefreshIssue,
  type RotationFailure,
} from "@/lib/auth/refresh";
import { recordEvent } from "@/lib/auth/events";
import type { AppError, Result } from "@/lib/errors";

export const CLIENT_IDS = ["api", "browser"] as const;
export type ClientId = (typeof CLIENT_IDS)[number];
export const REFRESH_PATH = "/api/auth/refresh";

export function refreshCookieName(secure: boolean): string {
  // __Host- needs Path=/; __Secure- allows the narrower path.
  return secure ? "__Secure-svj_refresh" : "svj_refresh";
}

export type TokenPair = {
  access_token: string;
  token_type: "Bearer";
  expires_in: number;
  refresh_token?: string;
  refresh_expires_in: number;
};

async function respondWithPair(
  user: { id: string; email: string },
  clientId: string,
  refresh: RefreshIssue,
  headers: Headers,
): Promise<TokenPair> {
  const { token } = await issueAccessToken(user, { clientId, familyId: refresh.familyId });
  const policy = config().jwt;
  const refreshSeconds = Math.floor((refresh.expiresAt.getTime() - Date.now()) / 1000);
  const pair: TokenPair = {
    access_token: token,
    token_type: "Bearer",
    expires_in: Math.floor(policy.accessTokenTtlMs / 1000),
    refresh_expires_in: refreshSeconds,
  };
  if (clientId === "browser") {
    const secure = isSecureRequest(headers);
    (await cookies()).set(refreshCookieName(secure), refresh.token, {
      httpOnly: true,
      sameSite: "strict",
      secure,
      path: REFRESH_PATH,
      maxAge: refreshSeconds,
    });
  } else {
    pair.refresh_token = refresh.token;
  }
  return pair;
}

export async function issueTokens(
  user: { id: string; email: string },
  clientId: ClientId,
  client: ClientInfo,
  headers: Headers,
): Promise<TokenPair> {
  const refresh = await startRefreshFamily(user.id, clientId);
  const pair = await respondWithPair(user, clientId, refresh, headers);
  await recordEvent({
    type: "token.issued",
    userId: user.id,
    mechanism: "jwt",
    client,
    detail: { family: refresh.familyId, client_id: clientId },
  });
  return pair;
}

const ROTATION_MESSAGES: Record<RotationFailure, string> = {
  unknown: "The refresh token is not valid.",
  expired: "The refresh token expired; sign in again.",
  family_revoked: "The refresh token was revoked; sign in again.",
  concurrent_rotation: "The refresh token was rotated moments ago by another request; use the newer one.",
  reuse_detected: "The refresh token was already used. Its whole family is now revoked; sign in again.",
};

export async function refreshTokens(token: string, client: ClientInfo, headers: Headers): Promise<Result<TokenPair>> {
  const rotated = await rotateRefreshToken(token, client);
  if (!rotated.ok) {
    const error: AppError = { code: "invalid_grant", description: ROTATION_MESSAGES[rotated.reason] };
    return { ok: false, error };
  }
  const { user, clientId, ...refresh } = rotated.value;
  const pair = await respondWithPair(user, clientId, refresh, headers);
  await recordEvent({
    type: "token.refreshed",
    userId: user.id,
    mechanism: "jwt",
    client,
    detail: { family: refresh.familyId, generation: refresh.generation },
  });
  return { ok: true, value: pair };
}

export async function readRefreshCookie(headers: Headers): Promise<string | null> {
  return (await cookies()).get(refreshCookieName(isSecureRequest(headers)))?.value ?? null;
}

// RFC 7009: whatever the token, the answer is the same. An access token we
// signed (expired or not) has its jti denylisted until it expires and its
// family revoked; a refresh token's family is revoked.
export async function revokeToken(token: string, client: ClientInfo): Promise<void> {
  const access = token.includes(".") ? await verifyAccessTokenForRevocation(token) : null;
  if (access?.ok) {
    await denylistAccessToken(access.value.claims);
    await revokeFamily(access.value.claims.sid, "revoked");
    await recordEvent({
      type: "token.revoked",
      userId: access.value.claims.sub,
      mechanism: "jwt",
      client,
      detail: { jti: access.value.claims.jti, family: access.value.claims.sid },
    });
    return;
  }
  const familyId = await findFamilyByToken(token);
  if (familyId && (await revokeFamily(familyId, "revoked"))) {
    await recordEvent({ type: "token.revoked", mechanism: "jwt", client, detail: { family: familyId } });
  }
}
