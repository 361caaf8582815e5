import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import {
  accountWideKey,
  countAccountAttempt,
  giveBackAccountAttempt,
  noteFailure,
  noteSuccess,
  reserveAttempt,
  throttleKeys,
  type AttemptDecision,
} from "@/lib/auth/throttle";

// Defaults: 5 free failures per account, then 1 s doubling; 50 per address.
const t0 = new Date("2026-03-01T12:00:00Z");
const at = (ms: number) => new Date(t0.getTime() + ms);
let addresses = 0;
const fresh = () => {
  const client = { ip: `198.51.100.${++addresses}`, userAgent: "vitest" };
  return { client, keys: throttleKeys(`${randomUUID()}@example.com`, client) };
};

// One failed sign-in attempt at `when`: reserve, then (if let through) fail.
async function fail(
  keys: ReturnType<typeof throttleKeys>,
  client: { ip: string; userAgent: string },
  when: Date,
): Promise<AttemptDecision> {
  const attempt = await reserveAttempt(keys, when);
  if (!attempt.throttled) await noteFailure(attempt.reservation, client);
  return attempt;
}

const bucket = (key: string) => db().throttleBucket.findUnique({ where: { key } });

afterAll(() => db().$disconnect());

describe("throttle in the database", () => {
  it("lets the free failures through, then refuses with a growing wait", async () => {
    const { client, keys } = fresh();
    for (let i = 0; i < 6; i++) expect((await fail(keys, client, at(i))).throttled).toBe(false);
    expect(await reserveAttempt(keys, at(500))).toEqual({ throttled: true, scope: "account", retryAfterSeconds: 1 });
    expect((await fail(keys, client, at(1005))).throttled).toBe(false); // 7th: 2 s delay now
    expect(await reserveAttempt(keys, at(1010))).toMatchObject({ throttled: true, retryAfterSeconds: 2 });
    expect((await fail(keys, client, at(3005))).throttled).toBe(false); // 8th: 4 s
    expect(await reserveAttempt(keys, at(3010))).toMatchObject({ throttled: true, retryAfterSeconds: 4 });
  });

  it("does not count refused attempts", async () => {
    const { client, keys } = fresh();
    for (let i = 0; i < 6; i++) await fail(keys, client, t0);
    for (let i = 0; i < 10; i++) await reserveAttempt(keys, at(10));
    expect((await bucket(keys[0]!.key))?.failures).toBe(6);
  });

  it("records a lockout event for each failure that imposes a delay", async () => {
    const { client, keys } = fresh();
    for (let i = 0; i < 7; i++) await fail(keys, client, at(i * 10_000));
    const events = await db().authEvent.findMany({
      where: { type: "throttle.lockout", ip: client.ip, userAgent: "vitest" },
    });
    const mine = events.filter((e) => JSON.parse(e.detail ?? "{}").scope === "account");
    expect(mine.length).toBeGreaterThanOrEqual(2);
  });

  it("lets a burst of simultaneous guesses through only up to the limit", async () => {
    const { keys } = fresh();
    const attempts = await Promise.all(Array.from({ length: 30 }, () => reserveAttempt(keys, t0)));
    // 5 free, plus the 6th that starts the back-off.
    expect(attempts.filter((a) => !a.throttled)).toHaveLength(6);
    expect((await bucket(keys[0]!.key))?.failures).toBe(6);
  });

  // Many people behind one address signing in at once (found by the
  // multi-instance load test: a retry-capped compare-and-set refused them).
  it("lets 40 simultaneous correct sign-ins from one address through", async () => {
    const client = { ip: `203.0.113.${++addresses}`, userAgent: "vitest" };
    const attempts = await Promise.all(
      Array.from({ length: 40 }, async () => {
        const attempt = await reserveAttempt(throttleKeys(`${randomUUID()}@example.com`, client), t0);
        if (!attempt.throttled) await noteSuccess(attempt.reservation);
        return attempt.throttled;
      }),
    );
    expect(attempts.filter(Boolean)).toEqual([]);
    expect((await bucket(`ip:${client.ip}`))?.failures).toBe(0);
  });

  // Found by review: the reset of forgotten failures, the count and the
  // stamp were separate statements, and a burst after an hour of quiet got
  // almost every guess through.
  it("lets a burst after an hour of quiet through only up to the limit", async () => {
    const { client, keys } = fresh();
    for (let i = 0; i < 3; i++) await fail(keys, client, at(i));
    const later = at(2 * 3_600_000);
    const attempts = await Promise.all(Array.from({ length: 40 }, () => reserveAttempt(keys, later)));
    expect(attempts.filter((a) => !a.throttled)).toHaveLength(6);
    expect((await bucket(keys[0]!.key))?.failures).toBe(6);
  });

  // Found by review: a success deletes the account's row while other correct
  // sign-ins to it are counting, which made an update of a missing row throw.
  it("overlapping correct sign-ins to one account never fail", async () => {
    const { keys } = fresh();
    for (let batch = 0; batch < 6; batch++) {
      const attempts = await Promise.all(
        Array.from({ length: 6 }, async () => {
          const attempt = await reserveAttempt(keys, at(batch));
          if (!attempt.throttled) await noteSuccess(attempt.reservation);
          return attempt.throttled;
        }),
      );
      expect(attempts.filter(Boolean)).toEqual([]);
    }
  });

  it("forgets an account's failures after an hour of quiet", async () => {
    const { client, keys } = fresh();
    for (let i = 0; i < 8; i++) await fail(keys, client, at(i * 60_000));
    expect((await reserveAttempt(keys, at(7 * 60_000 + 1000))).throttled).toBe(true);
    const later = at(7 * 60_000 + 60 * 60_000 + 1);
    expect((await fail(keys, client, later)).throttled).toBe(false);
    expect((await bucket(keys[0]!.key))?.failures).toBe(1);
  });

  it("a success clears the account and gives the address back only this attempt", async () => {
    const { client, keys } = fresh();
    for (let i = 0; i < 3; i++) await fail(keys, client, t0);
    const ok = await reserveAttempt(keys, at(10));
    expect(ok.throttled).toBe(false);
    if (!ok.throttled) await noteSuccess(ok.reservation);
    expect(await bucket(keys[0]!.key)).toBeNull();
    expect((await bucket(keys[1]!.key))?.failures).toBe(3);
  });

  it("blocks by address across accounts (IPv6 by /64)", async () => {
    const client = { ip: "2001:db8:77::1", userAgent: "vitest" };
    for (let i = 0; i < 51; i++) await fail(throttleKeys(`spray-${i}-${randomUUID()}@example.com`, client), client, t0);
    const neighbour = { ip: "2001:db8:77:0:ffff::2", userAgent: "vitest" };
    const keys = throttleKeys(`${randomUUID()}@example.com`, neighbour);
    expect(await reserveAttempt(keys, at(10))).toMatchObject({ throttled: true, scope: "ip" });
    // The refused attempt handed back the account count it had taken.
    expect((await bucket(keys[0]!.key))?.failures ?? 0).toBe(0);
    await db().throttleBucket.deleteMany({ where: { key: keys[1]!.key } });
  });

  // Found by the security review: after 5 failures the account backed off
  // for everyone, the owner included, so one wrong guess after each delay
  // kept any account whose email was known locked for ever.
  it("another client's failures never lock the owner out", async () => {
    const email = `${randomUUID()}@example.com`;
    const guesser = { ip: `192.0.2.${++addresses}`, userAgent: "vitest" };
    for (let i = 0; i < 10; i++) await fail(throttleKeys(email, guesser), guesser, at(i));
    expect(await reserveAttempt(throttleKeys(email, guesser), at(20))).toMatchObject({
      throttled: true,
      scope: "account",
    });
    const owner = { ip: `192.0.2.${++addresses}`, userAgent: "vitest" };
    expect((await reserveAttempt(throttleKeys(email, owner), at(20))).throttled).toBe(false);
  });

  it("account-wide, slows every attempt past the free count by a bounded wait, and never refuses", async () => {
    const key = accountWideKey(`${randomUUID()}@example.com`);
    const waits: number[] = [];
    for (let i = 0; i < 56; i++) waits.push(await countAccountAttempt(key, at(i)));
    expect(waits.slice(0, 50)).toEqual(Array(50).fill(0));
    expect(waits.slice(50)).toEqual([1000, 2000, 4000, 5000, 5000, 5000]);
    const events = await db().authEvent.findMany({ where: { type: "throttle.account_slowed" } });
    const mine = events.filter(
      (e) => JSON.parse(e.detail ?? "{}").account === key.slice("account:".length, "account:".length + 12),
    );
    // One per new, longer wait: 1 s, 2 s, 4 s, then the 5 s cap.
    expect(mine.map((e) => JSON.parse(e.detail!).delayMs)).toEqual([1000, 2000, 4000, 5000]);
    // A success gives back its own attempt only.
    await giveBackAccountAttempt(key);
    expect((await bucket(key))?.failures).toBe(55);
  });
});
