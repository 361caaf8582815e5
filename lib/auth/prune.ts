// Deleting what can no longer be used, in the background: without it every
// table that grows with traffic (sessions never used again, refresh families
// of clients that went away, throttle counters of every address and email
// ever tried, audit events) would grow for ever. Safe with several
// instances: a lease (one conditional update of a settings row) lets one
// instance prune per interval, and every delete is idempotent anyway.
import { config } from "@/lib/config";
import { db } from "@/lib/db";
import { isDatabaseUnavailable } from "@/lib/faults";
import { processState } from "@/lib/process-state";

const LEASE_KEY = "prune.last";
const REVOKED_FAMILY_KEPT_MS = 86_400_000;

export type Pruned = { sessions: number; families: number; throttleBuckets: number; revokedAccessTokens: number; authEvents: number };

// Takes the lease if the last prune (by any instance) is an interval old.
async function takeLease(now: Date): Promise<boolean> {
  const { pruneIntervalMs } = config();
  const row = await db().setting.findUnique({ where: { key: LEASE_KEY } });
  if (!row) {
    try {
      await db().setting.create({ data: { key: LEASE_KEY, value: now.toISOString() } });
      return true;
    } catch {
      return false; // another instance created it first
    }
  }
  if (now.getTime() - new Date(row.value).getTime() < pruneIntervalMs) return false;
  const { count } = await db().setting.updateMany({ where: { key: LEASE_KEY, value: row.value }, data: { value: now.toISOString() } });
  return count === 1;
}

// A refresh family is over when its newest token has expired or it reached
// its absolute lifetime; a revoked one is kept a day so its owner can still
// see why it ended. Its tokens go with it (cascade). Spent tokens of a live
// family are kept: they are how reuse is detected.
export async function pruneExpired(now = new Date()): Promise<Pruned | null> {
  if (!(await takeLease(now))) return null;
  const { session, jwt, throttle, auditRetentionMs } = config();
  const ago = (ms: number) => new Date(now.getTime() - ms);
  const forgetAfterMs = Math.max(...Object.values(throttle).map((policy) => policy.forgetAfterMs));
  const sessions = await db().session.deleteMany({ where: { OR: [{ absoluteExpiresAt: { lte: now } }, { lastSeenAt: { lte: ago(session.idleTimeoutMs) } }] } });
  const families = await db().refreshFamily.deleteMany({
    where: { OR: [{ revokedAt: { lte: ago(REVOKED_FAMILY_KEPT_MS) } }, { createdAt: { lte: ago(jwt.refreshFamilyTtlMs) } }, { tokens: { none: { expiresAt: { gt: now } } } }] },
  });
  const throttleBuckets = await db().throttleBucket.deleteMany({ where: { lastFailureAt: { lte: ago(forgetAfterMs) } } });
  const revokedAccessTokens = await db().revokedAccessToken.deleteMany({ where: { expiresAt: { lt: ago(jwt.clockToleranceSeconds * 1000) } } });
  const authEvents = await db().authEvent.deleteMany({ where: { createdAt: { lte: ago(auditRetentionMs) } } });
  return {
    sessions: sessions.count,
    families: families.count,
    throttleBuckets: throttleBuckets.count,
    revokedAccessTokens: revokedAccessTokens.count,
    authEvents: authEvents.count,
  };
}

const state = processState<{ timer: NodeJS.Timeout | null }>("prune", () => ({ timer: null }));

// Started once per server process (lib/startup.ts).
export function startPruning(): void {
  state.timer ??= setInterval(() => {
    pruneExpired().catch((error: unknown) => {
      if (!isDatabaseUnavailable(error)) console.error("[prune] failed:", error);
    });
  }, config().pruneIntervalMs).unref();
}
