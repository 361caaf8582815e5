import { describe, expect, it } from "vitest";
import type pg from "pg";
import { createPostgresReader, MAX_BATCH } from "@/lib/db";

// The PostgreSQL reader against a stand-in for the pool, so what it sends
// and how it answers can be checked query by query; lib/auth/*.db.test.ts
// run the real queries on PostgreSQL.
function fakePool(answer: (config: pg.QueryConfig) => unknown[] | Error) {
  const sent: pg.QueryConfig[] = [];
  return {
    sent,
    async query(config: pg.QueryConfig) {
      sent.push(config);
      await new Promise((resolve) => setTimeout(resolve, 1));
      const rows = answer(config);
      if (rows instanceof Error) throw rows;
      return { rows };
    },
  };
}

const READ = { sql: `SELECT "v" FROM "T" WHERE "k" = ? AND "l" = ?`, batch: "SELECT k.i, … batch" };

// Rows for the batch's keys, in an order of the database's choosing, with
// the key echoed so each answer can be told apart; keys starting with
// "none" get no row.
const echo = (config: pg.QueryConfig) => {
  const [keys, others] = config.values as [string[], string[]];
  return keys
    .map((key, index) => ({ i: String(index + 1), v: `${key}/${others[index]}` }))
    .filter((row) => !row.v.startsWith("none"))
    .reverse();
};

describe("the PostgreSQL reader", () => {
  it("sends the keyed reads of one turn as one named query, and gives each read its own row", async () => {
    const pool = fakePool(echo);
    const read = createPostgresReader(pool);
    const answers = await Promise.all([
      read(READ, ["a", "1"]),
      read(READ, ["none", "2"]),
      read(READ, ["c", "3"]),
      read(READ, ["a", "4"]),
    ]);
    expect(answers).toEqual([{ v: "a/1" }, undefined, { v: "c/3" }, { v: "a/4" }]);
    expect(pool.sent).toHaveLength(1);
    expect(pool.sent[0]).toMatchObject({
      text: READ.batch,
      values: [
        ["a", "none", "c", "a"],
        ["1", "2", "3", "4"],
      ],
    });
    expect(pool.sent[0]!.name).toMatch(/^read_\d+$/);
  });

  it("sends reads of different turns apart, under the same statement name", async () => {
    const pool = fakePool(echo);
    const read = createPostgresReader(pool);
    expect(await read(READ, ["a", "1"])).toEqual({ v: "a/1" });
    expect(await read(READ, ["b", "2"])).toEqual({ v: "b/2" });
    expect(pool.sent).toHaveLength(2);
    expect(pool.sent[1]!.name).toBe(pool.sent[0]!.name);
  });

  it("fails every read of a query that fails", async () => {
    const down = Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
    const read = createPostgresReader(fakePool(() => down));
    const reads = [read(READ, ["a", "1"]), read(READ, ["b", "2"])];
    for (const outcome of await Promise.allSettled(reads))
      expect(outcome).toEqual({ status: "rejected", reason: down });
  });

  it("splits a burst into queries of at most 500 reads", async () => {
    expect(MAX_BATCH).toBe(500);
    const pool = fakePool(echo);
    const read = createPostgresReader(pool);
    const answers = await Promise.all(
      Array.from({ length: MAX_BATCH + 2 }, (_, index) => read(READ, [`k${index}`, "x"])),
    );
    expect(answers.map((row) => row?.v)).toEqual(Array.from({ length: MAX_BATCH + 2 }, (_, index) => `k${index}/x`));
    expect(pool.sent.map((config) => (config.values![0] as string[]).length)).toEqual([MAX_BATCH, 2]);
  });

  it("sends a plain read alone, with $n placeholders, as a named statement", async () => {
    const pool = fakePool(() => [{ ok: 1 }]);
    const read = createPostgresReader(pool);
    expect(await read(`SELECT ? AS "a", ? AS "b"`, [1, 2])).toEqual({ ok: 1 });
    expect(pool.sent[0]).toMatchObject({ text: `SELECT $1 AS "a", $2 AS "b"`, values: [1, 2] });
  });
});
