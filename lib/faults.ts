// Simulated database outage for the dashboard's "database unavailable"
// scenario: only requests carrying a one-time key that the scenario runner
// armed see the database as down, so real data and other visitors are never
// affected. Real outages take the same path out (DatabaseUnavailable → 503).
import { AsyncLocalStorage } from "node:async_hooks";
import { randomBytes } from "node:crypto";

export const OUTAGE_HEADER = "x-svj-simulated-outage";
const ARMED_FOR_MS = 30_000;
const armed = new Map<string, number>();
const outage = new AsyncLocalStorage<true>();

export class DatabaseUnavailable extends Error {
  constructor() {
    super("The database is unavailable.");
    this.name = "DatabaseUnavailable";
  }
}

export function armDatabaseOutage(now = Date.now()): string {
  for (const [key, until] of armed) if (until < now) armed.delete(key);
  const key = randomBytes(32).toString("base64url");
  armed.set(key, now + ARMED_FOR_MS);
  return key;
}

export function disarmDatabaseOutage(key: string): void {
  armed.delete(key);
}

export function outageRequested(headers: Headers, now = Date.now()): boolean {
  const key = headers.get(OUTAGE_HEADER);
  return key !== null && (armed.get(key) ?? 0) > now;
}

export function runWithOutage<T>(simulate: boolean, run: () => T): T {
  return simulate ? outage.run(true, run) : run();
}

export function databaseIsDown(): boolean {
  return outage.getStore() === true;
}

// Prisma's codes for "cannot reach / lost the database".
// P2028: a transaction could not start or finish in time (DATABASE_TIMEOUT).
const PRISMA_UNREACHABLE_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2028", "ENOTFOUND"]);

// What better-sqlite3 and pg themselves throw when the database cannot
// answer: SQLite busy/locked/unopenable/IO, and PostgreSQL connection
// failures (class 08, admin shutdown, too many connections, a closed
// socket) and the server-side timeouts set in lib/db.ts (statement, lock,
// idle transaction).
const DRIVER_UNAVAILABLE_CODES = new Set([
  "SQLITE_BUSY",
  "SQLITE_LOCKED",
  "SQLITE_CANTOPEN",
  "SQLITE_IOERR",
  "ECONNRESET",
  "ECONNREFUSED",
  "EHOSTUNREACH",
  "ETIMEDOUT",
  "EPIPE",
  "57P01",
  "57P02",
  "57P03",
  "53300",
  "57014",
  "55P03",
  "25P03",
]);

// pg's own errors carry no code: a dropped connection, and the pool's and
// client's timeouts (DATABASE_TIMEOUT) when the server stops answering.
const DRIVER_UNAVAILABLE_MESSAGES =
  /Connection terminated|connection timeout|Client has encountered a connection error|timeout exceeded when trying to connect|Query read timeout|timeout expired/i;

export function isDriverUnavailable(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (
    typeof code === "string" &&
    (DRIVER_UNAVAILABLE_CODES.has(code) || /^SQLITE_(BUSY|IOERR|CANTOPEN)/.test(code) || /^08/.test(code))
  )
    return true;
  return typeof message === "string" && DRIVER_UNAVAILABLE_MESSAGES.test(message);
}

// For work whose caller has a better answer to an outage than an error
// page: a form keeps its inputs and shows a message, a page leaves out an
// optional part it could not read.
export async function whenUnavailable<T>(run: () => Promise<T>, fallback: T): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (isDatabaseUnavailable(error)) return fallback;
    throw error;
  }
}

// One classifier for every path to the database: Prisma's errors, the
// drivers' own (selectOne reads through them directly), and the simulated outage.
export function isDatabaseUnavailable(error: unknown): boolean {
  if (error instanceof DatabaseUnavailable) return true;
  if (typeof error !== "object" || error === null) return false;
  const { code, name, cause, meta } = error as {
    code?: unknown;
    name?: unknown;
    cause?: unknown;
    meta?: { driverAdapterError?: unknown };
  };
  if (typeof code === "string" && PRISMA_UNREACHABLE_CODES.has(code)) return true;
  if (name === "PrismaClientInitializationError" || isDriverUnavailable(error)) return true;
  // Prisma keeps the driver's error under meta.driverAdapterError.
  const inner = [cause, meta?.driverAdapterError].filter((next) => next !== undefined && next !== error);
  return inner.some(isDatabaseUnavailable);
}
