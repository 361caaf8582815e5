// Failed sign-in throttling, per account and per client address, with
// exponential back-off (OWASP Authentication Cheat Sheet, "Login Throttling").
// Counters live in the database so every app instance enforces the same limit.
// An attempt is counted before its password is checked (and given back on
// success); attempts refused while throttled do not count: counting them
// would let an attacker keep a victim's account locked forever.
import { createHash } from "node:crypto";
import { config, type ThrottlePolicy } from "@/lib/config";
import { db } from "@/lib/db";
import { recordEvent } from "@/lib/auth/events";
import type { ClientInfo } from "@/lib/http";

export type ThrottleScope = "account" | "ip";

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

// IPv6 clients usually control a whole /64, so that is the unit throttled.
export function addressBucket(ip: string): string {
  if (!ip.includes(":") || ip.startsWith("::ffff:")) return ip.replace(/^::ffff:/, "");
  const [head = "", tail = ""] = ip.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = ip.includes("::") ? [...left, ...Array(8 - left.length - right.length).fill("0"), ...right] : left;
  return `${groups.slice(0, 4).map((group) => group.toLowerCase().replace(/^0+(?=.)/, "")).join(":")}::/64`;
}

export function throttleKeys(normalizedEmail: string, client: ClientInfo): ThrottleKey[] {
  const policies = config().throttle;
  // The email is hashed so the table does not collect addresses of people
  // who never registered.
  const account = createHash("sha256").update(normalizedEmail).digest("hex");
  const keys: ThrottleKey[] = [{ scope: "account", key: `account:${account}`, policy: policies.account }];
  if (client.ip) keys.push({ scope: "ip", key: `ip:${addressBucket(client.ip)}`, policy: policies.ip });
  return keys;
}

export type Reservation = { scope: ThrottleScope; key: string; policy: ThrottlePolicy; failures: number }[];

export type AttemptDecision =
  | { throttled: false; reservation: Reservation }
  | { throttled: true; scope: ThrottleScope; retryAfterSeconds: number };

// Rounds of "look, then count": a round is lost only when another attempt
// changed the row in between (created it, took the last free count, or a
// success deleted it).
const MAX_ROUNDS = 10;

type ReserveOne = { reserved: true; failures: number } | { reserved: false; waitMs: number };

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002";
}

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
      const { count } = await db().throttleBucket.updateMany({ where: { key, ...unchanged }, data: { failures: 1, lastFailureAt: now } });
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

async function release(reservation: Reservation): Promise<void> {
  for (const { key } of reservation) await giveBack(key);
}

// The attempt failed: it stays counted. One audit event per key whose count
// now imposes a delay, bounded by the back-off itself, so an attacker cannot
// flood the log through this path.
export async function noteFailure(reservation: Reservation, client: ClientInfo): Promise<void> {
  for (const { scope, policy, failures } of reservation) {
    const delayMs = delayAfter(failures, policy);
    if (delayMs > 0) await recordEvent({ type: "throttle.lockout", client, detail: { scope, failures, delayMs } });
  }
}

// The attempt succeeded: the account starts afresh; the address only gets
// this attempt back, so one good password cannot launder a spraying attack
// from that address.
export async function noteSuccess(reservation: Reservation): Promise<void> {
  const account = reservation.filter((r) => r.scope === "account").map((r) => r.key);
  await db().throttleBucket.deleteMany({ where: { key: { in: account } } });
  await release(reservation.filter((r) => r.scope !== "account"));
}
