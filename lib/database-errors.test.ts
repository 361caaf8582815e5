import { describe, expect, it } from "vitest";
import { isDatabaseUnavailable, isDriverUnavailable } from "@/lib/database-errors";
import { toDate } from "@/lib/db";

describe("driver errors", () => {
  it("treats a busy SQLite file and a lost PostgreSQL connection as the database being unavailable", () => {
    for (const code of [
      "SQLITE_BUSY",
      "SQLITE_BUSY_SNAPSHOT",
      "SQLITE_IOERR_READ",
      "ECONNRESET",
      "57P01",
      "08006",
      "53300",
    ]) {
      expect(isDriverUnavailable(Object.assign(new Error("x"), { code }))).toBe(true);
    }
    expect(isDriverUnavailable(new Error("Connection terminated unexpectedly"))).toBe(true);
  });

  it("treats a database that stopped answering (DATABASE_TIMEOUT) as unavailable", () => {
    for (const message of [
      "timeout exceeded when trying to connect",
      "Connection terminated due to connection timeout",
      "Query read timeout",
    ]) {
      expect(isDatabaseUnavailable(new Error("wrapped", { cause: new Error(message) }))).toBe(true);
    }
  });

  it("leaves real bugs as bugs", () => {
    expect(isDriverUnavailable(Object.assign(new Error("x"), { code: "SQLITE_ERROR" }))).toBe(false);
    expect(isDriverUnavailable(Object.assign(new Error("x"), { code: "42P01" }))).toBe(false);
    expect(isDatabaseUnavailable(new TypeError("undefined is not a function"))).toBe(false);
  });
});

describe("toDate", () => {
  it("reads what either driver returns and refuses what would compare as NaN", () => {
    expect(toDate("2026-11-29T02:04:10.921+00:00").toISOString()).toBe("2026-11-29T02:04:10.921Z");
    expect(toDate(new Date(0)).getTime()).toBe(0);
    expect(() => toDate("infinity")).toThrow(/Unreadable timestamp/);
  });
});
