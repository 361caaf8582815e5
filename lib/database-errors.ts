// What counts as "the database is unavailable", decided in one place for
// every path to it (Prisma's errors, the drivers' own, and a refused query):
// each is answered 503 and fails closed, never let through unchecked.
export class DatabaseUnavailable extends Error {
  constructor() {
    super("The database is unavailable.");
    this.name = "DatabaseUnavailable";
  }
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
// drivers' own (selectOne reads through them directly), and DatabaseUnavailable.
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

// A write refused because a unique key already holds the value (Prisma's
// P2002): another request, perhaps on another instance, got there first.
// By code rather than class: the SQLite and PostgreSQL clients are separate
// generated modules.
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002";
}
