// Failed sign-in throttling with exponential back-off (OWASP Authentication
// Cheat Sheet, "Login Throttling"), in three scopes:
// - one account from one client address: 5 free failures, then that client
//   waits 1 s, 2 s, 4 s … (429). Only that client: a guesser elsewhere never
//   locks the owner out (which an account-wide lock lets anyone do to anyone
//   whose email they know, with one wrong guess after each delay);
// - one address across accounts (spraying one password over many emails);
// - one account from everywhere (a guesser with many addresses): attempts
//   past a much higher free count are slowed by a bounded wait, never refused.
// Counters live in the database so every app instance enforces the same
// limits. An attempt is counted before its password is checked (and given
// back on success); attempts refused while throttled do not count: counting
// them would let refusals extend a lock for ever.
import { isUniqueViolation } from "@/lib/database-errors";
import { createHash } from "node:crypto";
import { config, type ThrottlePolicy } from "@/lib/config";
import { db } from "@/lib/db";
import { recordEvent } from "@/lib/auth/events";
import type { RateKey } from "@/lib/auth/rate-limit";
import { addressBucket, networkBucket } from "@/lib/auth/client-networks";
import type { ClientInfo } from "@/lib/http";

export type ThrottleScope = "account" | "ip" | "network";

export type ThrottleKey = { scope: ThrottleScope; key: string; policy: ThrottlePolicy };

export type Bucket = { failures: number; lastFailureAt: Date };

// 2^40 × any sane base delay is far past any maximum; stop doubling there.
const MAX_DOUBLINGS = 40;

export function delayAfter(failures: number, policy: ThrottlePolicy): number {
  if (failures <= policy.freeFailures) return 0;
  const doublings = Math.min(failures - policy.freeFailures - 1, MAX_DOUBLINGS);
  return Math.min(policy.baseDelayMs * 2 ** doublings, policy.maxDelayMs);
}

// Failures older than forgetAfterMs no longer count.
export function activeFailures(bucket: Bucket | null, policy: ThrottlePolicy, now: Date): number {
  if (!bucket) return 0;
  return now.getTime() - bucket.lastFailureAt.getTime() > policy.forgetAfterMs ? 0 : bucket.failures;
}

// Under the free limit there is never a wait, even when the last failure was
// stamped by an instance whose clock runs ahead of this one.
export function retryAfterMs(bucket: Bucket | null, policy: ThrottlePolicy, now: Date): number {
  if (!bucket) return 0;
  const delay = delayAfter(activeFailures(bucket, policy, now), policy);
  if (delay === 0) return 0;
  return Math.max(0, bucket.lastFailureAt.getTime() + delay - now.getTime());
}

// The email is hashed so the table does not collect addresses of people who
// never registered.
function accountHash(normalizedEmail: string): string {
  return createHash("sha256").update(normalizedEmail).digest("hex");
}

// The keys that can refuse an attempt: this account from this client's
// address, and this address across accounts.
export function throttleKeys(normalizedEmail: string, client: ClientInfo): ThrottleKey[] {
  const policies = config().throttle;
  const address = client.ip ? addressBucket(client.ip) : "unknown";
  const keys: ThrottleKey[] = [
    { scope: "account", key: `account:${accountHash(normalizedEmail)}:${address}`, policy: policies.account },
  ];
  if (client.ip) keys.push({ scope: "ip", key: `ip:${address}`, policy: policies.ip });
  return keys;
}

export function accountWideKey(normalizedEmail: string): string {
  return `account:${accountHash(normalizedEmail)}`;
}

// Sign-ins per network, a rate that refills (lib/auth/rate-limit.ts): every
// attempt takes a use and a correct password gives it back, so it bounds
// what the failures (and the attempts refused as busy) of one network cost,
// however many addresses it spreads them over.
export function signInNetworkKeys(client: ClientInfo): RateKey[] {
  if (!client.ip) return [];
  return [{ scope: "network", key: `signin:${networkBucket(client.ip)}`, policy: config().throttle.signinNetwork }];
}

// Registrations, each of which costs a bcrypt hash: per address and per
// network, rates that refill. Every registration counts (successful ones
// too) and none is given back, so the keys bound the hashing any one party
// can cause, without one visitor locking a whole network out.
export function registrationKeys(client: ClientInfo): RateKey[] {
  if (!client.ip) return [];
  const policies = config().throttle;
  return [
    { scope: "ip", key: `register:${addressBucket(client.ip)}`, policy: policies.register },
    { scope: "network", key: `register:${networkBucket(client.ip)}`, policy: policies.registerNetwork },
  ];
}

// A signed-in visitor's throwaway accounts (the dashboard's): an allowance
// of their own, per session or token family and per address, so that
// someone else's registrations from the same network do not use it up.
export function throwawayKeys(callerKey: string, client: ClientInfo): RateKey[] {
  const policies = config().throttle;
  return [
    { scope: "caller", key: `throwaway:${callerKey}`, policy: policies.throwawayCaller },
    ...(client.ip
      ? [{ scope: "ip" as const, key: `throwaway:${addressBucket(client.ip)}`, policy: policies.throwawayIp }]
      : []),
  ];
}

export type Reservation = { scope: ThrottleScope; key: string; policy: ThrottlePolicy; failures: number }[];

export type AttemptDecision =
  { throttled: false; reservation: Reservation } | { throttled: true; scope: ThrottleScope; retryAfterSeconds: number };

// Rounds of "look, then count": a round is lost only when another attempt
// changed the row in between (created it, took the last free count, or a
// success deleted it).
const MAX_ROUNDS = 10;

type ReserveOne = { reserved: true; failures: number } | { reserved: false; waitMs: number };

// Counts the attempt before the password is checked, so parallel guesses
// cannot all slip in under the limit. Counting and stamping are one
// conditional UPDATE: under the free limit it always succeeds (so any number
// of simultaneous sign-ins from one address take the next count without a
// retry), past it only if the row is still exactly the one whose back-off
// was found to have passed, so one attempt per back-off gets through. A
// refused attempt writes nothing, so refusals cannot extend a lock.
async function reserveOne(key: string, policy: ThrottlePolicy, now: Date): Promise<ReserveOne> {
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const row = await db().throttleBucket.findUnique({ where: { key } });
    const waitMs = retryAfterMs(row, policy, now);
    if (waitMs > 0) return { reserved: false, waitMs };
    if (!row) {
      try {
        await db().throttleBucket.create({ data: { key, failures: 1, lastFailureAt: now } });
        return { reserved: true, failures: 1 };
      } catch (error) {
        if (isUniqueViolation(error)) continue;
        throw error;
      }
    }
    const unchanged = { failures: row.failures, lastFailureAt: row.lastFailureAt };
    const active = activeFailures(row, policy, now);
    // Forgotten failures: start again at one, unless someone moved first.
    if (active === 0 && row.failures > 0) {
      const { count } = await db().throttleBucket.updateMany({
        where: { key, ...unchanged },
        data: { failures: 1, lastFailureAt: now },
      });
      if (count === 1) return { reserved: true, failures: 1 };
      continue;
    }
    const { count } = await db().throttleBucket.updateMany({
      where: { key, OR: [{ failures: { lte: policy.freeFailures } }, unchanged] },
      data: { failures: { increment: 1 }, lastFailureAt: now },
    });
    if (count === 1) return { reserved: true, failures: active + 1 };
  }
  return { reserved: false, waitMs: policy.baseDelayMs };
}

async function giveBack(key: string): Promise<void> {
  await db().throttleBucket.updateMany({ where: { key, failures: { gt: 0 } }, data: { failures: { decrement: 1 } } });
}

// Takes one attempt from every key (account, then address), or none.
export async function reserveAttempt(keys: ThrottleKey[], now = new Date()): Promise<AttemptDecision> {
  const reservation: Reservation = [];
  for (const { scope, key, policy } of keys) {
    const result = await reserveOne(key, policy, now);
    if (!result.reserved) {
      await release(reservation);
      return { throttled: true, scope, retryAfterSeconds: Math.max(1, Math.ceil(result.waitMs / 1000)) };
    }
    reservation.push({ scope, key, policy, failures: result.failures });
  }
  return { throttled: false, reservation };
}

// Gives every count of a reservation back: the attempt was never judged
// (the password work was refused as busy).
export async function releaseAttempt(reservation: Reservation): Promise<void> {
  await release(reservation);
}

async function release(reservation: Reservation): Promise<void> {
  for (const { key } of reservation) await giveBack(key);
}

// The attempt failed: it stays counted. One audit event per key whose count
// now imposes a delay, bounded by the back-off itself, so an attacker cannot
// flood the log through this path.
export async function noteFailure(reservation: Reservation, client: ClientInfo): Promise<void> {
  for (const { scope, key, policy, failures } of reservation) {
    const delayMs = delayAfter(failures, policy);
    if (delayMs > 0)
      await recordEvent({ type: "throttle.lockout", client, detail: { scope, failures, delayMs, ...accountOf(key) } });
  }
}

// Which account a key is about, as the audit log may name it: a prefix of
// the email's hash (what the throttle table stores), never the email.
function accountOf(key: string): { account?: string } {
  return key.startsWith("account:") ? { account: key.slice("account:".length, "account:".length + 12) } : {};
}

// The attempt succeeded: this account from this address starts afresh; the
// address only gets this attempt back, so one good password cannot launder
// a spraying attack from that address.
export async function noteSuccess(reservation: Reservation): Promise<void> {
  const account = reservation.filter((r) => r.scope === "account").map((r) => r.key);
  await db().throttleBucket.deleteMany({ where: { key: { in: account } } });
  await release(reservation.filter((r) => r.scope !== "account"));
}

// Account-wide: counts this attempt, from whatever address, and returns how
// long it must wait before its password is checked (0 under the free count,
// then doubling up to the policy's small maximum). It never refuses, so the
// owner always gets in, at worst a few seconds late, while a guesser spread
// over many addresses is slowed on every guess. Each new, longer wait is
// recorded once (a handful of events per burst, whatever its size).
export async function countAccountAttempt(key: string, now = new Date()): Promise<number> {
  const policy = config().throttle.accountWide;
  let failures = 1;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const row = await db().throttleBucket.findUnique({ where: { key } });
    if (!row) {
      try {
        await db().throttleBucket.create({ data: { key, failures: 1, lastFailureAt: now } });
        break;
      } catch (error) {
        if (isUniqueViolation(error)) continue;
        throw error;
      }
    }
    if (activeFailures(row, policy, now) === 0) {
      const { count } = await db().throttleBucket.updateMany({
        where: { key, failures: row.failures, lastFailureAt: row.lastFailureAt },
        data: { failures: 1, lastFailureAt: now },
      });
      if (count === 1) break;
      continue;
    }
    // The count after this attempt's own increment, so simultaneous attempts
    // each see their place (a burst at the threshold is slowed too).
    try {
      failures = (
        await db().throttleBucket.update({ where: { key }, data: { failures: { increment: 1 }, lastFailureAt: now } })
      ).failures;
      break;
    } catch (error) {
      if ((error as { code?: unknown }).code === "P2025") continue; // deleted meanwhile
      throw error;
    }
  }
  const delayMs = delayAfter(failures, policy);
  if (delayMs > delayAfter(failures - 1, policy)) {
    await recordEvent({
      type: "throttle.account_slowed",
      detail: { account: key.slice("account:".length, "account:".length + 12), failures, delayMs },
    });
  }
  return delayMs;
}

// A correct password gives its account-wide count back (the failures of
// others stay counted: the owner's success must not launder a guesser's).
export async function giveBackAccountAttempt(key: string): Promise<void> {
  await giveBack(key);
}
