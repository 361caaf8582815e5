import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { checkThrottle, clearAccountFailures, recordFailure, throttleKeys } from "@/lib/auth/throttle";

// Defaults: 5 free failures per account, then 1 s doubling; 50 per address.
const t0 = new Date("2026-03-01T12:00:00Z");
const at = (ms: number) => new Date(t0.getTime() + ms);
const fresh = () => {
  const client = { ip: `198.51.100.${Math.floor(Math.random() * 250)}`, userAgent: "vitest" };
  return { client, keys: throttleKeys(`${randomUUID()}@example.com`, client) };
};

afterAll(() => db().$disconnect());

describe("throttle in the database", () => {
  it("lets the free failures through, then blocks with a growing wait", async () => {
    const { client, keys } = fresh();
    for (let i = 0; i < 5; i++) {
      expect(await checkThrottle(keys, at(i))).toEqual({ throttled: false });
      await recordFailure(keys, client, at(i));
    }
    expect(await checkThrottle(keys, at(5))).toEqual({ throttled: false });
    expect(await recordFailure(keys, client, at(5))).toEqual({ throttled: true, scope: "account", retryAfterSeconds: 1 });
    expect(await checkThrottle(keys, at(500))).toEqual({ throttled: true, scope: "account", retryAfterSeconds: 1 });
    expect(await checkThrottle(keys, at(1005))).toEqual({ throttled: false });
    expect(await recordFailure(keys, client, at(1005))).toMatchObject({ retryAfterSeconds: 2 });
    expect(await recordFailure(keys, client, at(3005))).toMatchObject({ retryAfterSeconds: 4 });
  });

  it("records a lockout event for each imposed delay", async () => {
    const { client, keys } = fresh();
    for (let i = 0; i < 7; i++) await recordFailure(keys, client, at(i * 10_000));
    const events = await db().authEvent.findMany({ where: { type: "throttle.lockout", ip: client.ip, userAgent: "vitest" } });
    const mine = events.filter((e) => JSON.parse(e.detail ?? "{}").scope === "account" && e.createdAt >= t0);
    expect(mine.length).toBeGreaterThanOrEqual(2);
  });

  it("counts every one of many simultaneous failures", async () => {
    const { client, keys } = fresh();
    await Promise.all(Array.from({ length: 12 }, () => recordFailure(keys, client, t0)));
    const bucket = await db().throttleBucket.findUnique({ where: { key: keys[0]!.key } });
    expect(bucket?.failures).toBe(12);
  });

  it("forgets an account's failures after an hour of quiet", async () => {
    const { client, keys } = fresh();
    for (let i = 0; i < 8; i++) await recordFailure(keys, client, t0);
    expect((await checkThrottle(keys, at(1000))).throttled).toBe(true);
    const later = at(60 * 60_000 + 1);
    expect(await checkThrottle(keys, later)).toEqual({ throttled: false });
    await recordFailure(keys, client, later);
    const bucket = await db().throttleBucket.findUnique({ where: { key: keys[0]!.key } });
    expect(bucket?.failures).toBe(1);
  });

  it("blocks by address across accounts, and success clears only the account", async () => {
    const client = { ip: "2001:db8:77::1", userAgent: "vitest" };
    for (let i = 0; i < 51; i++) await recordFailure(throttleKeys(`spray-${i}-${randomUUID()}@example.com`, client), client, t0);
    const neighbour = { ip: "2001:db8:77:0:ffff::2", userAgent: "vitest" }; // same /64
    const keys = throttleKeys(`${randomUUID()}@example.com`, neighbour);
    expect(await checkThrottle(keys, at(10))).toMatchObject({ throttled: true, scope: "ip" });
    await clearAccountFailures(keys);
    expect(await checkThrottle(keys, at(10))).toMatchObject({ throttled: true, scope: "ip" });
    await db().throttleBucket.deleteMany({ where: { key: keys[1]!.key } });
  });
});
