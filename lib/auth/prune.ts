// Deleting what can no longer be used, in the background: without it every
// table that grows with traffic (sessions never used again, refresh families
// of clients that went away, throttle counters and rate buckets of every
// address and email ever tried, audit events) would grow for ever. Safe with several
// instances: a lease (one conditional update of a settings row) lets one
// instance prune per interval, and every delete is idempotent anyway.
import { config } from "@/lib/config";
import { db } from "@/lib/db";
import { isDatabaseUnavailable } from "@/lib/database-errors";
import { processState } from "@/lib/process-state";

const LEASE_KEY = "prune.last";
const REVOKED_FAMILY_KEPT_MS = 86_400_000;
const CODE_KEPT_MS = 86_400_000;

// Deleted a batch at a time: one statement over a table an attacker grew
// (a throttle row per email tried) could run past PostgreSQL's
// statement_timeout and be cancelled every time. At most MAX_BATCHES per run.
const BATCH = 500;
const MAX_BATCHES = 100;

type Deletable = {
  findMany(args: { where: unknown; select: Record<string, true>; take: number }): Promise<Record<string, unknown>[]>;
  deleteMany(args: { where: Record<string, { in: unknown[] }> }): Promise<{ count: number }>;
};

async function deleteInBatches(model: unknown, idField: string, where: unknown): Promise<number> {
  const table = model as Deletable;
  let deleted = 0;
  for (let batch = 0; batch < MAX_BATCHES; batch++) {
    const rows = await table.findMany({ where, select: { [idField]: true }, take: BATCH });
    if (rows.length === 0) break;
    deleted += (await table.deleteMany({ where: { [idField]: { in: rows.map((row) => row[idField]) } } })).count;
    if (rows.length < BATCH) break;
  }
  return deleted;
}

export type Pruned = {
  sessions: number;
  families: number;
  throttleBuckets: number;
  rateBuckets: number;
  revokedAccessTokens: number;
  authorizationCodes: number;
  dpopProofs: number;
  authEvents: number;
};

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
  const { count } = await db().setting.updateMany({
    where: { key: LEASE_KEY, value: row.value },
    data: { value: now.toISOString() },
  });
  return count === 1;
}

// A refresh family is over when its newest token has expired or it reached
// its absolute lifetime; a revoked one is kept a day so its owner can still
// see why it ended. Its tokens go with it (cascade). Spent tokens of a live
// family are kept: they are how reuse is detected. An ended family is kept
// until its last access token has expired too: in denylist mode a token
// whose family is gone is refused.
export async function pruneExpired(now = new Date()): Promise<Pruned | null> {
  if (!(await takeLease(now))) return null;
  const { session, jwt, throttle, auditRetentionMs } = config();
  const ago = (ms: number) => new Date(now.getTime() - ms);
  const forgetAfterMs = Math.max(...[throttle.account, throttle.ip, throttle.accountWide].map((p) => p.forgetAfterMs));
  const lastAccessTokenMs = jwt.accessTokenTtlMs + jwt.clockToleranceSeconds * 1000;
  return {
    sessions: await deleteInBatches(db().session, "id", {
      OR: [{ absoluteExpiresAt: { lte: now } }, { lastSeenAt: { lte: ago(session.idleTimeoutMs) } }],
    }),
    families: await deleteInBatches(db().refreshFamily, "id", {
      OR: [
        { revokedAt: { lte: ago(REVOKED_FAMILY_KEPT_MS) } },
        { createdAt: { lte: ago(jwt.refreshFamilyTtlMs + lastAccessTokenMs) } },
        { tokens: { none: { expiresAt: { gt: ago(lastAccessTokenMs) } } } },
      ],
    }),
    throttleBuckets: await deleteInBatches(db().throttleBucket, "key", { lastFailureAt: { lte: ago(forgetAfterMs) } }),
    // Full again: a row says no more than no row.
    rateBuckets: await deleteInBatches(db().rateBucket, "key", { fullAt: { lte: now.getTime() } }),
    revokedAccessTokens: await deleteInBatches(db().revokedAccessToken, "jti", {
      expiresAt: { lt: ago(jwt.clockToleranceSeconds * 1000) },
    }),
    // Kept a day past expiry: a copy shown again within it still revokes
    // what the code issued (lib/auth/authorization-code.ts).
    authorizationCodes: await deleteInBatches(db().authorizationCode, "id", {
      expiresAt: { lte: ago(CODE_KEPT_MS) },
    }),
    // Past its acceptance window a proof is refused as too old anyway.
    dpopProofs: await deleteInBatches(db().dpopProof, "key", { expiresAt: { lte: now } }),
    authEvents: await deleteInBatches(db().authEvent, "id", { createdAt: { lte: ago(auditRetentionMs) } }),
  };
}

const state = processState<{ timer: NodeJS.Timeout | null }>("prune", () => ({ timer: null }));

// Started once per server process (lib/startup.ts).
export function startPruning(): void {
  state.timer ??= setInterval(() => {
    // Logged either way: a prune that times out every run must be seen.
    pruneExpired().catch((error: unknown) => {
      console.error(
        `[prune] failed${isDatabaseUnavailable(error) ? " (database unavailable or too slow)" : ""}:`,
        error instanceof Error ? error.message : error,
      );
    });
  }, config().pruneIntervalMs).unref();
}
