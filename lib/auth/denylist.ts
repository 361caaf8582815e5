// The access-token denylist: the ids of revoked tokens (kept until the
// token would have expired), and denylist mode, which decides whether every
// access-token check looks the token's jti (and its refresh family) up
// there, so revocation is immediate instead of waiting for exp. The switch lives in the database so
// every instance follows it.
// Each process reads it once, then a timer re-reads it every two seconds:
// requests never wait for it, an idle instance is as current as a busy one,
// and a database that stopped answering does not slow token checks.
import { config } from "@/lib/config";
import type { AccessTokenClaims } from "@/lib/auth/jwt";
import { db, selectOne, type KeyedRead } from "@/lib/db";
import { isDatabaseUnavailable } from "@/lib/database-errors";
import { processState } from "@/lib/process-state";

const KEY = "jwt.denylist";
const POLL_MS = 2000;
// `writes` counts this process's own changes: a read that started before
// one must not overwrite it with the older value.
const state = processState<{
  known: boolean | null;
  writes: number;
  reading: Promise<boolean> | null;
  poller: NodeJS.Timeout | null;
}>("denylist", () => ({
  known: null,
  writes: 0,
  reading: null,
  poller: null,
}));

async function readSwitch(): Promise<boolean> {
  const writes = state.writes;
  const row = await db().setting.findUnique({ where: { key: KEY } });
  const enabled = row ? row.value === "on" : config().jwt.denylistDefault;
  if (state.writes === writes) state.known = enabled;
  return state.known ?? enabled;
}

function poll(): void {
  readSwitch().catch((error: unknown) => {
    if (!isDatabaseUnavailable(error)) console.error("[denylist] reading the switch failed:", error);
  });
}

// Through an outage the last value read stands: with the denylist off, JWT
// checks keep working; with it on, the jti lookup itself fails closed. A
// process that has never read the switch cannot know, and fails closed.
export async function isDenylistEnabled(): Promise<boolean> {
  if (state.known !== null) return state.known;
  state.reading ??= readSwitch().finally(() => {
    state.reading = null;
  });
  const enabled = await state.reading;
  state.poller ??= setInterval(poll, POLL_MS).unref();
  return enabled;
}

export async function setDenylistEnabled(enabled: boolean): Promise<void> {
  const value = enabled ? "on" : "off";
  await db().setting.upsert({ where: { key: KEY }, create: { key: KEY, value }, update: { value } });
  state.writes++;
  state.known = enabled;
}

// Revoked by its own id ("token"), or through its refresh family
// ("family": signed out everywhere, the device removed, reuse detected; or
// gone). One round trip, straight through the driver (selectOne): every
// request makes it in denylist mode, and introspection whatever the mode.
// On PostgreSQL the checks of requests that arrive together go as one query.
const REVOKED = `k."jti",
  CASE WHEN EXISTS (SELECT 1 FROM "RevokedAccessToken" WHERE "jti" = k."jti") THEN 1 ELSE 0 END AS "token",
  CASE WHEN EXISTS (SELECT 1 FROM "RefreshFamily" WHERE "id" = k."sid" AND "revokedAt" IS NULL) THEN 0 ELSE 1 END AS "family"`;
const REVOCATION: KeyedRead = {
  sql: `SELECT ${REVOKED} FROM (SELECT ? AS "jti", ? AS "sid") k`,
  batch: `SELECT k."i", ${REVOKED} FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS k("jti", "sid", "i")`,
};

export async function findAccessTokenRevocation(
  claims: Pick<AccessTokenClaims, "jti" | "sid">,
): Promise<"token" | "family" | null> {
  const row = await selectOne<{ jti: string; token: number | boolean; family: number | boolean }>(REVOCATION, [
    claims.jti,
    claims.sid,
  ]);
  // Every key gets a row, carrying the jti it answers; no row, or another
  // token's, would mean "not revoked" if let through.
  if (row?.jti !== claims.jti) throw new Error("The revocation check returned no answer for this token");
  if (Number(row.token) === 1) return "token";
  return Number(row.family) === 1 ? "family" : null;
}

// Denylists a verified token's id until it would have expired.
// Entries whose token can no longer pass verification (exp plus the clock
// tolerance) are pruned on the way, so the table holds about one
// access-token lifetime of revocations.
export async function denylistAccessToken(
  claims: Pick<AccessTokenClaims, "jti" | "exp">,
  now = new Date(),
): Promise<void> {
  const expiresAt = new Date(claims.exp * 1000);
  await db().revokedAccessToken.upsert({
    where: { jti: claims.jti },
    create: { jti: claims.jti, expiresAt },
    update: {},
  });
  const tolerance = config().jwt.clockToleranceSeconds * 1000;
  await db().revokedAccessToken.deleteMany({ where: { expiresAt: { lt: new Date(now.getTime() - tolerance) } } });
}

// For the dashboard: how many revoked tokens the denylist holds.
export function countDenylistedTokens(): Promise<number> {
  return db().revokedAccessToken.count();
}
