import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { pruneExpired } from "@/lib/auth/prune";

afterAll(() => db().$disconnect());

// Far in the future, so every run holds the lease and sees its own rows.
const base = Date.now() + 400 * 86_400_000;
let run = 0;
const nextRun = () => new Date(base + ++run * 3_600_000);
const day = 86_400_000;

describe("pruneExpired", () => {
  it("deletes what can no longer be used and keeps what can", async () => {
    const now = nextRun();
    const ago = (ms: number) => new Date(now.getTime() - ms);
    const user = await db().user.create({ data: { email: `p-${randomUUID()}@example.com`, passwordHash: "x" } });
    const session = (lastSeenAt: Date, absoluteExpiresAt: Date) =>
      db().session.create({
        data: { tokenHash: randomUUID(), userId: user.id, createdAt: ago(day), lastSeenAt, absoluteExpiresAt },
      });
    const live = await session(ago(60_000), new Date(now.getTime() + 3_600_000));
    await session(ago(31 * 60_000), new Date(now.getTime() + 3_600_000)); // idle too long
    await session(ago(60_000), ago(1)); // past its absolute limit

    const family = async (createdAt: Date, tokenExpiresAt: Date, revokedAt: Date | null = null) => {
      const f = await db().refreshFamily.create({ data: { userId: user.id, clientId: "api", createdAt, revokedAt } });
      await db().refreshToken.create({
        data: { tokenHash: randomUUID(), familyId: f.id, generation: 1, createdAt, expiresAt: tokenExpiresAt },
      });
      return f.id;
    };
    const liveFamily = await family(ago(day), new Date(now.getTime() + day));
    const expiredFamily = await family(ago(20 * day), ago(10 * 60_000));
    // Its last access token (5 min + 5 s) may still be in use: kept.
    const justExpired = await family(ago(20 * day), ago(1));
    const revokedToday = await family(ago(day), new Date(now.getTime() + day), ago(60_000));
    const revokedLongAgo = await family(ago(3 * day), new Date(now.getTime() + day), ago(2 * day));

    const bucket = (key: string, lastFailureAt: Date) =>
      db().throttleBucket.create({ data: { key, failures: 3, lastFailureAt } });
    await bucket(`prune-fresh-${randomUUID()}`, ago(60_000));
    await bucket(`prune-stale-${randomUUID()}`, ago(2 * 3_600_000));
    const oldEvent = await db().authEvent.create({ data: { type: "signin.failed", createdAt: ago(91 * day) } });
    const newEvent = await db().authEvent.create({ data: { type: "signin.failed", createdAt: ago(day) } });

    const pruned = await pruneExpired(now);
    expect(pruned).not.toBeNull();
    const sessionIds = (await db().session.findMany({ where: { userId: user.id } })).map((s) => s.id);
    expect(sessionIds).toEqual([live.id]);
    const familyIds = (await db().refreshFamily.findMany({ where: { userId: user.id } })).map((f) => f.id).sort();
    expect(familyIds).toEqual([liveFamily, revokedToday, justExpired].sort());
    expect(await db().refreshToken.count({ where: { familyId: { in: [expiredFamily, revokedLongAgo] } } })).toBe(0);
    expect(await db().throttleBucket.count({ where: { key: { startsWith: "prune-stale-" } } })).toBe(0);
    expect(await db().throttleBucket.count({ where: { key: { startsWith: "prune-fresh-" } } })).toBeGreaterThan(0);
    expect(await db().authEvent.findUnique({ where: { id: oldEvent.id } })).toBeNull();
    expect(await db().authEvent.findUnique({ where: { id: newEvent.id } })).not.toBeNull();
  });

  it("runs once per interval, whichever instance asks first", async () => {
    const now = nextRun();
    const runs = await Promise.all(Array.from({ length: 5 }, () => pruneExpired(now)));
    expect(runs.filter((r) => r !== null)).toHaveLength(1);
    expect(await pruneExpired(new Date(now.getTime() + 60_000))).toBeNull();
    expect(await pruneExpired(new Date(now.getTime() + 11 * 60_000))).not.toBeNull();
  });
});
