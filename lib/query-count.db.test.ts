import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, dbReady, selectOne } from "@/lib/db";
import { loadConfig } from "@/lib/config";
import { countQueries, isCounting, queryTotals, storeQueriesResponse } from "@/lib/query-count";
import { validateSessionToken } from "@/lib/auth/session";
import { signedInSession } from "@/tests/sign-in";

const client = { ip: "192.0.2.45", userAgent: "vitest" };
const newUser = () => db().user.create({ data: { email: `q-${randomUUID()}@example.com`, passwordHash: "x" } });

// Opening the database sends its set-up queries; not part of any count here.
beforeAll(() => dbReady());
afterAll(() => db().$disconnect());

describe("counting queries at the database seam", () => {
  it("counts Prisma's reads and writes, and the driver's reads, apart", async () => {
    const { queries } = await countQueries(async () => {
      const user = await newUser();
      await db().user.findUnique({ where: { id: user.id } });
      await db().user.findMany({ where: { id: user.id } });
      await db().user.update({ where: { id: user.id }, data: { passwordHash: "y" } });
      await selectOne(`SELECT 1 AS "ok"`, []);
    });
    expect(queries).toEqual({ reads: 3, writes: 2 });
  });

  it("a session check is one read", async () => {
    const { token } = await signedInSession(await newUser(), client);
    const { value, queries } = await countQueries(() => validateSessionToken(token));
    expect(value.status).toBe("valid");
    expect(queries).toEqual({ reads: 1, writes: 0 });
  });

  it("work running at the same time is counted apart, and work outside is not counted", async () => {
    const user = await newUser();
    const [one, three] = await Promise.all([
      countQueries(() => db().user.findUnique({ where: { id: user.id } })),
      countQueries(async () => {
        for (let i = 0; i < 3; i++) await db().user.findUnique({ where: { id: user.id } });
      }),
      db().user.findMany({ where: { id: user.id } }),
    ]);
    expect(one.queries.reads).toBe(1);
    expect(three.queries.reads).toBe(3);
  });

  it("is switched off between counts, and counts again after", async () => {
    const user = await newUser();
    const first = await countQueries(() => db().user.findUnique({ where: { id: user.id } }));
    expect(isCounting()).toBe(false);
    const [second, third] = await Promise.all([
      countQueries(async () => {
        await db().user.findUnique({ where: { id: user.id } });
        // Still on while another count is going on.
        expect(isCounting()).toBe(true);
      }),
      countQueries(async () => {
        await db().user.findMany({ where: { id: user.id } });
        await db().user.findMany({ where: { id: user.id } });
      }),
    ]);
    expect([first.queries.reads, second.queries.reads, third.queries.reads]).toEqual([1, 1, 2]);
    expect(isCounting()).toBe(false);
  });

  it("keeps totals of every query, counted or not, served only with STORE_QUERY_COUNTS=on", async () => {
    const user = await newUser();
    const before = queryTotals();
    await db().user.findUnique({ where: { id: user.id } });
    await countQueries(() => db().user.update({ where: { id: user.id }, data: { passwordHash: "z" } }));
    expect(queryTotals()).toEqual({ reads: before.reads + 1, writes: before.writes + 1 });

    // Served to the bench's server only (npm run bench fails if it is not).
    expect(storeQueriesResponse().status).toBe(404);
    expect(loadConfig({ ...process.env, STORE_QUERY_COUNTS: "on" }).storeQueryCounts).toBe(true);
  });
});
