// Limits that refill at a steady rate instead of locking: registrations and
// throwaway accounts, and sign-in failures per network. A back-off that
// doubles after each attempt (lib/auth/throttle.ts) suits one client
// guessing one account, but on a key many people share, such as a /24, one
// visitor who keeps trying keeps everyone else locked out for up to the
// maximum delay. A rate lets the others back in as soon as it refills.
//
// Each key is a token bucket of `burst` uses that regains one use every
// `intervalMs`, kept as one number (the generic cell rate algorithm, GCRA):
// the time at which the bucket is full again. A use moves that time one
// interval later; a use that would move it more than the burst ahead of now
// is refused and changes nothing, so refusals never extend a wait. The
// numbers live in the database, so every instance enforces the same limits.
import { isUniqueViolation } from "@/lib/database-errors";
import type { RatePolicy } from "@/lib/config";
import { db } from "@/lib/db";

export type RateScope = "ip" | "network" | "caller";

export type RateKey = { scope: RateScope; key: string; policy: RatePolicy };

export type RateDecision = { allowed: true; fullAt: number } | { allowed: false; waitMs: number };

// Pure: where the bucket stands at `now` (a bucket full since before now
// counts from now), and whether one more use fits.
export function decideRate(fullAt: number | null, now: number, policy: RatePolicy): RateDecision {
  const base = Math.max(fullAt ?? now, now);
  const room = (policy.burst - 1) * policy.intervalMs;
  if (base - now > room) return { allowed: false, waitMs: base - now - room };
  return { allowed: true, fullAt: base + policy.intervalMs };
}

// Each write is conditional on what was read, so simultaneous uses each
// take their own share: past the first, a use moves `fullAt` by an
// increment under a condition, which needs no second round however many
// arrive together.
const MAX_ROUNDS = 10;

async function takeOne(key: string, policy: RatePolicy, now: number): Promise<RateDecision> {
  const room = (policy.burst - 1) * policy.intervalMs;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const row = await db().rateBucket.findUnique({ where: { key } });
    const decision = decideRate(row?.fullAt ?? null, now, policy);
    if (!decision.allowed) return decision;
    if (!row) {
      try {
        await db().rateBucket.create({ data: { key, fullAt: decision.fullAt } });
        return decision;
      } catch (error) {
        if (isUniqueViolation(error)) continue;
        throw error;
      }
    }
    const { count } =
      row.fullAt <= now
        ? await db().rateBucket.updateMany({
            where: { key, fullAt: { lte: now } },
            data: { fullAt: now + policy.intervalMs },
          })
        : await db().rateBucket.updateMany({
            where: { key, fullAt: { gt: now, lte: now + room } },
            data: { fullAt: { increment: policy.intervalMs } },
          });
    if (count === 1) return decision;
  }
  return { allowed: false, waitMs: policy.intervalMs };
}

export type RateTaken =
  { throttled: false; taken: RateKey[] } | { throttled: true; scope: RateScope; retryAfterSeconds: number };

// One use from every key, or none: a refusal by a later key gives back what
// the earlier ones took.
export async function takeRates(keys: RateKey[], now = Date.now()): Promise<RateTaken> {
  const taken: RateKey[] = [];
  for (const rate of keys) {
    const decision = await takeOne(rate.key, rate.policy, now);
    if (!decision.allowed) {
      await giveBackRates(taken);
      return { throttled: true, scope: rate.scope, retryAfterSeconds: Math.max(1, Math.ceil(decision.waitMs / 1000)) };
    }
    taken.push(rate);
  }
  return { throttled: false, taken };
}

// The use did not count after all (a successful sign-in): the bucket gets
// it back. Moving `fullAt` into the past is harmless: it counts from now.
export async function giveBackRates(keys: RateKey[]): Promise<void> {
  for (const { key, policy } of keys)
    await db().rateBucket.updateMany({ where: { key }, data: { fullAt: { decrement: policy.intervalMs } } });
}
