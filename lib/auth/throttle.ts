// Failed sign-in throttling, per account and per client address, with
// exponential back-off (OWASP Authentication Cheat Sheet, "Login Throttling").
// Counters live in the database so every app instance enforces the same limit.
// Attempts refused while throttled do not count: counting them would let an
// attacker keep a victim's account locked forever.
import { createHash } from "node:crypto";
import { config, type ThrottlePolicy } from "@/lib/config";
import { db } from "@/lib/db";
import { recordEvent } from "@/lib/auth/events";
import type { ClientInfo } from "@/lib/http";

export type ThrottleScope = "account" | "ip";

export type ThrottleKey = { scope: ThrottleScope; key: string; policy: ThrottlePolicy };

export type Bucket = { failures: number; lastFailureAt: Date };

export type ThrottleDecision =
  | { throttled: false }
  | { throttled: true; scope: ThrottleScope; retryAfterSeconds: number };

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

export function retryAfterMs(bucket: Bucket | null, policy: ThrottlePolicy, now: Date): number {
  if (!bucket) return 0;
  const until = bucket.lastFailureAt.getTime() + delayAfter(activeFailures(bucket, policy, now), policy);
  return Math.max(0, until - now.getTime());
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

function decide(keys: ThrottleKey[], buckets: Map<string, Bucket>, now: Date): ThrottleDecision {
  let worst: ThrottleDecision = { throttled: false };
  for (const { scope, key, policy } of keys) {
    const wait = retryAfterMs(buckets.get(key) ?? null, policy, now);
    const seconds = Math.ceil(wait / 1000);
    if (wait > 0 && (!worst.throttled || seconds > worst.retryAfterSeconds)) {
      worst = { throttled: true, scope, retryAfterSeconds: seconds };
    }
  }
  return worst;
}

export async function checkThrottle(keys: ThrottleKey[], now = new Date()): Promise<ThrottleDecision> {
  const rows = await db().throttleBucket.findMany({ where: { key: { in: keys.map((k) => k.key) } } });
  return decide(keys, new Map(rows.map((row) => [row.key, row])), now);
}

// Counts one failure against every key and returns what the next attempt faces.
export async function recordFailure(
  keys: ThrottleKey[],
  client: ClientInfo,
  now = new Date(),
): Promise<ThrottleDecision> {
  const buckets = new Map<string, Bucket>();
  for (const { scope, key, policy } of keys) {
    await db().throttleBucket.deleteMany({
      where: { key, lastFailureAt: { lt: new Date(now.getTime() - policy.forgetAfterMs) } },
    });
    const bucket = await db().throttleBucket.upsert({
      where: { key },
      create: { key, failures: 1, lastFailureAt: now },
      update: { failures: { increment: 1 }, lastFailureAt: now },
    });
    buckets.set(key, bucket);
    const delayMs = delayAfter(bucket.failures, policy);
    if (delayMs > 0) {
      // One event per imposed delay: bounded by the back-off itself, so an
      // attacker cannot flood the audit log through this path.
      await recordEvent({ type: "throttle.lockout", client, detail: { scope, failures: bucket.failures, delayMs } });
    }
  }
  return decide(keys, buckets, now);
}

// After a successful sign-in the account starts afresh; the address does not,
// so one good password cannot launder a spraying attack from that address.
export async function clearAccountFailures(keys: ThrottleKey[]): Promise<void> {
  const account = keys.filter((k) => k.scope === "account").map((k) => k.key);
  await db().throttleBucket.deleteMany({ where: { key: { in: account } } });
}
