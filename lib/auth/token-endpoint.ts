// What the token endpoints do (RFC 6749 §5, RFC 7009): issue a pair, rotate
// it, revoke. Browser clients (lib/auth/clients.ts) get the refresh token in
// a cookie (lib/auth/refresh-cookie.ts), never in the JSON, so page script
// can hold only the short-lived access token.
import { config } from "@/lib/config";
import type { ClientInfo } from "@/lib/http";
import { setRefreshCookie } from "@/lib/auth/refresh-cookie";
import { denylistAccessToken } from "@/lib/auth/denylist";
import { issueAccessToken, verifyAccessTokenForRevocation } from "@/lib/auth/jwt";
import {
  findFamilyByToken,
  revokeFamily,
  rotateRefreshToken,
  startRefreshFamily,
  type RefreshIssue,
} from "@/lib/auth/refresh";
import { recordEvent } from "@/lib/auth/events";
import { refreshTokenInCookie, type ClientId } from "@/lib/auth/clients";
import type { Result } from "@/lib/errors";
import { refuseSupersededSignIn, type VerifiedUser } from "@/lib/auth/signin";
import { redeemAuthorizationCode, type CodeExchange } from "@/lib/auth/authorization-code";
import { publicRequestUrl, verifyDpopProof } from "@/lib/auth/dpop";

export const TOKEN_ENDPOINT_PATH = "/api/auth/token";

// A token request's DPoP header: none (null: a Bearer pair), or a proof for
// a POST to this endpoint, whose key's thumbprint is returned.
export async function checkTokenRequestProof(proof: string | null): Promise<Result<string | null>> {
  if (proof === null) return { ok: true, value: null };
  const checked = await verifyDpopProof(proof, { method: "POST", url: publicRequestUrl(TOKEN_ENDPOINT_PATH) });
  return checked.ok ? { ok: true, value: checked.value.jkt } : checked;
}

export type TokenPair = {
  access_token: string;
  // "DPoP" when the pair is bound to the client's DPoP key (RFC 9449 §5).
  token_type: "Bearer" | "DPoP";
  expires_in: number;
  refresh_token?: string;
  refresh_expires_in: number;
};

// A new access token for the refresh token just issued, as the endpoint answers it.
async function pairFor(
  user: { id: string; email: string },
  clientId: string,
  refresh: RefreshIssue,
  headers: Headers,
  profile?: string,
): Promise<TokenPair> {
  const { token } = await issueAccessToken(user, {
    clientId,
    familyId: refresh.familyId,
    profile,
    jkt: refresh.dpopJkt,
  });
  const policy = config().jwt;
  const refreshSeconds = Math.floor((refresh.expiresAt.getTime() - Date.now()) / 1000);
  const pair: TokenPair = {
    access_token: token,
    token_type: refresh.dpopJkt ? "DPoP" : "Bearer",
    expires_in: Math.floor(policy.accessTokenTtlMs / 1000),
    refresh_expires_in: refreshSeconds,
  };
  if (refreshTokenInCookie(clientId)) await setRefreshCookie(refresh.token, refreshSeconds, headers);
  else pair.refresh_token = refresh.token;
  return pair;
}

// Refused when the password was changed since `user` was checked
// (lib/auth/credential-version.ts). `profile`: see AccessTokenClaims.
export async function issueTokens(
  user: VerifiedUser,
  clientId: ClientId,
  client: ClientInfo,
  headers: Headers,
  { profile }: { profile?: string } = {},
): Promise<Result<TokenPair>> {
  const refresh = await startRefreshFamily(user, clientId, new Date(), client);
  if (!refresh) return refuseSupersededSignIn(user, "jwt", client);
  const pair = await pairFor({ id: user.id, email: user.email }, clientId, refresh, headers, profile);
  await recordEvent({
    type: "token.issued",
    userId: user.id,
    mechanism: "jwt",
    client,
    detail: { family: refresh.familyId, client_id: clientId },
  });
  return { ok: true, value: pair };
}

// The authorization_code grant (RFC 6749 §4.1.3, PKCE): the code's user,
// as the session that approved it knew them, gets a new family.
export async function exchangeAuthorizationCode(
  exchange: CodeExchange,
  client: ClientInfo,
  headers: Headers,
): Promise<Result<TokenPair>> {
  const redeemed = await redeemAuthorizationCode(exchange, client);
  if (!redeemed.ok) return { ok: false, error: { code: "invalid_grant", description: redeemed.error.description } };
  const { user, clientId, refresh } = redeemed.value;
  const pair = await pairFor(user, clientId, refresh, headers);
  await recordEvent({
    type: "token.issued",
    userId: user.id,
    mechanism: "jwt",
    client,
    detail: { family: refresh.familyId, client_id: clientId, grant: "authorization_code" },
  });
  return { ok: true, value: pair };
}

// `clientId`: the client presenting it, when the request says (form grants);
// `dpopJkt`: the key of the request's DPoP proof, if it had one.
export async function refreshTokens(
  token: string,
  client: ClientInfo,
  headers: Headers,
  clientId: string | null = null,
  dpopJkt: string | null = null,
): Promise<Result<TokenPair>> {
  const rotated = await rotateRefreshToken(token, client, new Date(), clientId, dpopJkt);
  if (!rotated.ok) {
    return { ok: false, error: { code: "invalid_grant", description: rotated.error.description } };
  }
  const { user, clientId: issuedTo, replayed, ...refresh } = rotated.value;
  const pair = await pairFor(user, issuedTo, refresh, headers);
  await recordEvent({
    type: "token.refreshed",
    userId: user.id,
    mechanism: "jwt",
    client,
    // A replayed answer re-sends a successor issued moments ago (a lost reply).
    detail: { family: refresh.familyId, generation: refresh.generation, ...(replayed && { replayed: true }) },
  });
  return { ok: true, value: pair };
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
