// A backend-for-frontend (the IETF's "OAuth 2.0 for Browser-Based
// Applications", draft-ietf-oauth-browser-based-apps §6.1): the browser
// holds only a session cookie; this server holds the user's access and
// refresh tokens and calls other services with them. A token never reaches
// the browser, so page script has nothing to steal but the session it is
// already in. The session is lib/auth/session.ts's own; the tokens are
// issued as any client's (client "bff") and kept in the session's row,
// encrypted and bound to it (lib/auth/encryption.ts), so the one read that
// checks the session also brings them.
import { config } from "@/lib/config";
import { db } from "@/lib/db";
import type { ClientInfo } from "@/lib/http";
import type { AppError, Result } from "@/lib/errors";
import { decryptAtRest, encryptAtRest } from "@/lib/auth/encryption";
import { createSession, invalidateSession, type SessionRecord } from "@/lib/auth/session";
import { refuseSupersededSignIn, type VerifiedUser } from "@/lib/auth/signin";
import { issueTokens, refreshTokens, revokeToken, type TokenPair } from "@/lib/auth/token-endpoint";

const HELD_TOKENS = { salt: "session-vs-jwt held tokens", info: "bff-tokens-v1" };
const SERVICE_TIMEOUT_MS = 5000;

type HeldTokens = { accessToken: string; refreshToken: string; accessExpiresAt: number };

async function holdTokens(sessionId: string, pair: TokenPair): Promise<HeldTokens> {
  const held = {
    accessToken: pair.access_token,
    // The "bff" client gets its refresh token in the answer (lib/auth/clients.ts).
    refreshToken: pair.refresh_token!,
    accessExpiresAt: Date.now() + pair.expires_in * 1000,
  };
  await db().session.updateMany({
    where: { id: sessionId },
    data: { heldTokens: encryptAtRest(JSON.stringify(held), HELD_TOKENS, sessionId) },
  });
  return held;
}

function heldBy(session: SessionRecord): HeldTokens | null {
  if (session.heldTokens === null) return null;
  const json = decryptAtRest(session.heldTokens, HELD_TOKENS, session.id);
  return json === null ? null : (JSON.parse(json) as HeldTokens);
}

// A session whose tokens are held here. Null's reason as lib/auth/session.ts's
// createSession: the password changed while it was being checked.
export async function startBffSession(
  user: VerifiedUser,
  client: ClientInfo,
  headers: Headers,
): Promise<Result<{ token: string; session: SessionRecord }>> {
  const created = await createSession(user, client);
  if (!created) return refuseSupersededSignIn(user, "session", client);
  const pair = await issueTokens(user, "bff", client, headers);
  if (!pair.ok) {
    await invalidateSession(created.session.id);
    return pair;
  }
  await holdTokens(created.session.id, pair.value);
  return { ok: true, value: created };
}

const loginRequired = (description: string): AppError => ({ code: "login_required", description });

// Refreshed once less than a quarter of its life is left, so a call never
// leaves with a token about to expire on the way.
async function currentAccessToken(
  session: SessionRecord,
  client: ClientInfo,
  headers: Headers,
): Promise<Result<{ accessToken: string; refreshed: boolean }>> {
  const held = heldBy(session);
  if (!held) {
    await invalidateSession(session.id);
    return { ok: false, error: loginRequired("This session holds no tokens this server can open; sign in again.") };
  }
  const margin = config().jwt.accessTokenTtlMs / 4;
  if (held.accessExpiresAt - Date.now() > margin)
    return { ok: true, value: { accessToken: held.accessToken, refreshed: false } };
  const pair = await refreshTokens(held.refreshToken, client, headers);
  if (!pair.ok) {
    // Its family was revoked (sign out everywhere, a password change, a
    // replayed refresh token): the session it stood for ends with it.
    await invalidateSession(session.id);
    return { ok: false, error: loginRequired(`The tokens this session held were refused: ${pair.error.description}`) };
  }
  const fresh = await holdTokens(session.id, pair.value);
  return { ok: true, value: { accessToken: fresh.accessToken, refreshed: true } };
}

export type ServiceAnswer = { status: number; body: Record<string, unknown>; refreshed: boolean; ms: number };

// GET `path` at the resource server (RESOURCE_SERVER_URL) as the session's
// user, with the access token this server holds for it.
export async function callResourceServer(
  session: SessionRecord,
  path: string,
  client: ClientInfo,
  headers: Headers,
): Promise<Result<ServiceAnswer>> {
  const service = config().resourceServerUrl;
  if (!service) {
    return {
      ok: false,
      error: {
        code: "temporarily_unavailable",
        description: "This server has no RESOURCE_SERVER_URL, so a backend-for-frontend has no service to call.",
      },
    };
  }
  const token = await currentAccessToken(session, client, headers);
  if (!token.ok) return token;
  const started = performance.now();
  try {
    const response = await fetch(new URL(path, service), {
      headers: { authorization: `Bearer ${token.value.accessToken}`, accept: "application/json" },
      signal: AbortSignal.timeout(SERVICE_TIMEOUT_MS),
    });
    const body = (await response.json()) as Record<string, unknown>;
    return {
      ok: true,
      value: { status: response.status, body, refreshed: token.value.refreshed, ms: performance.now() - started },
    };
  } catch (error) {
    return {
      ok: false,
      error: {
        code: "bad_gateway",
        description: `The resource server did not answer (${(error as Error).name}); nothing was shown in its place.`,
      },
    };
  }
}

// Ends the session and the tokens it held (their family: the access token
// is denylisted and its refresh token refused from now on).
export async function endBffSession(session: SessionRecord, client: ClientInfo): Promise<void> {
  const held = heldBy(session);
  await invalidateSession(session.id);
  if (held) await revokeToken(held.accessToken, client);
}
