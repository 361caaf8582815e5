// The one place that opens the database, for the provider DATABASE_URL
// names: the Prisma client for everything, and a direct driver handle for the
// two single-row reads on every authenticated request (selectOne, batched
// on PostgreSQL). Both generated clients come from the same models file, so
// the app is typed against the SQLite one and the PostgreSQL one is used
// through it.
import Database from "better-sqlite3";
import pg from "pg";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as SqliteClient, type Prisma } from "@/prisma/generated/sqlite/client";
import { PrismaClient as PostgresClient } from "@/prisma/generated/postgres/client";
import { readDatabaseConfig, type DatabaseConfig } from "@/lib/config";
import { databaseGateRefuses } from "@/lib/database-gate";
import { DatabaseUnavailable, isDatabaseUnavailable } from "@/lib/database-errors";
import { processState } from "@/lib/process-state";
import { ensurePrivateSqliteFile } from "@/lib/private-files";
import { isReadOperation, noteQuery } from "@/lib/query-count";

export type Db = SqliteClient;
// What a transaction's callback is given: the client's models, no $transaction.
export type Tx = Prisma.TransactionClient;

// A read made on every authenticated request, in two forms: `sql`, one row
// for one key (`?` placeholders), read this way on SQLite; and `batch`, the
// same read for many keys at once, read this way on PostgreSQL: $1, $2… are
// arrays, one element per read, and each row answers the read at its
// 1-based position in column "i" (unnest … WITH ORDINALITY); a read with no
// row gets none.
export type KeyedRead = { sql: string; batch: string };
type Row = Record<string, unknown>;
type Reader = (read: string | KeyedRead, params: unknown[]) => Promise<Row | undefined>;
type Opened = { client: Db; reader: Reader; close: () => Promise<void> };

// Prisma's raw queries come back with column types applied; the driver's do
// not, so a timestamp is a Date (PostgreSQL) or ISO text (SQLite) and
// callers convert with toDate.
//
// SQLite answers in microseconds and synchronously: nothing to batch.
function createSqliteReader(connection: Database.Database): Reader {
  const statements = new Map<string, Database.Statement>();
  return async (read, params) => {
    const sql = typeof read === "string" ? read : read.sql;
    let statement = statements.get(sql);
    if (!statement) statements.set(sql, (statement = connection.prepare(sql)));
    return statement.get(...params) as Record<string, unknown> | undefined;
  };
}

// timestamp(3) columns hold UTC (Prisma writes them so); pg would read them
// as local time.
const UTC_TIMESTAMPS = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === pg.types.builtins.TIMESTAMP
      ? (value: string) => new Date(`${value.replace(" ", "T")}Z`)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

type Waiting = { params: unknown[]; resolve: (row: Row | undefined) => void; reject: (error: unknown) => void };
type Queryable = { query: (config: pg.QueryConfig) => Promise<{ rows: unknown[] }> };

// A burst larger than this goes as several queries, so no one query (and
// its statement timeout) carries an unbounded number of requests.
export const MAX_BATCH = 500;

// Two things cut what a read costs this process and the database, measured
// on loopback (docs/decisions.md §38 has the numbers):
// - Every query is a named prepared statement: PostgreSQL parses and plans
//   it once per connection, then only binds and executes it.
// - Keyed reads made in the same turn of the event loop go as one query
//   (`batch`), sent just after that turn: under load, many requests reach
//   their auth check together, and one round trip serves them all. Each
//   read is still a query sent after its request arrived, so a revocation
//   committed before it is seen; a failed query fails every read in it.
// Statement names are per process and every SQL text passed here is a
// constant in the code, so both maps stay that small.
export function createPostgresReader(pool: Queryable): Reader {
  const statements = new Map<string, { name: string; text: string }>();
  const queues = new Map<string, Waiting[]>();
  // `?` placeholders become $1, $2…; batch texts are written with $n already.
  async function query(sql: string, values: unknown[], placeholders: "?" | "$"): Promise<Row[]> {
    let statement = statements.get(sql);
    if (!statement) {
      let index = 0;
      const text = placeholders === "?" ? sql.replace(/\?/g, () => `$${++index}`) : sql;
      statements.set(sql, (statement = { name: `read_${statements.size + 1}`, text }));
    }
    return (await pool.query({ ...statement, values, types: UTC_TIMESTAMPS })).rows as Row[];
  }
  async function send(batch: string, waiting: Waiting[]): Promise<void> {
    // Already sent when it filled up.
    if (queues.get(batch) !== waiting) return;
    queues.delete(batch);
    try {
      const columns = waiting[0]!.params.map((_, column) => waiting.map(({ params }) => params[column]));
      const answers = new Map((await query(batch, columns, "$")).map(({ i, ...row }) => [Number(i), row]));
      waiting.forEach(({ resolve }, index) => resolve(answers.get(index + 1)));
    } catch (error) {
      for (const { reject } of waiting) reject(error);
    }
  }
  return (read, params) => {
    if (typeof read === "string") return query(read, params, "?").then((rows) => rows[0]);
    return new Promise((resolve, reject) => {
      let waiting = queues.get(read.batch);
      if (!waiting) {
        const queued: Waiting[] = [];
        queues.set(read.batch, (waiting = queued));
        setImmediate(() => void send(read.batch, queued));
      }
      waiting.push({ params, resolve, reject });
      if (waiting.length >= MAX_BATCH) void send(read.batch, waiting);
    });
  };
}

// Every Prisma query, model or raw, is noted for lib/query-count.ts on its
// way out; the driver's reads are noted in selectOne.
const noteEveryQuery = {
  query: {
    $allOperations({
      operation,
      args,
      query,
    }: {
      operation: string;
      args: unknown;
      query: (args: unknown) => Promise<unknown>;
    }) {
      noteQuery(isReadOperation(operation) ? "reads" : "writes");
      return query(args);
    },
  },
};

function open(database: DatabaseConfig): Opened {
  if (database.provider === "postgres") {
    const pool = new pg.Pool({
      connectionString: database.url,
      max: database.poolSize,
      connectionTimeoutMillis: database.timeoutMs,
      // Server-side limits, so PostgreSQL itself cancels a slow statement,
      // a lock wait, or a transaction left open, and the connection stays
      // usable (a client-side timeout alone can leave a connection "idle in
      // transaction", holding its locks and its pool slot).
      statement_timeout: database.timeoutMs,
      lock_timeout: database.timeoutMs,
      idle_in_transaction_session_timeout: 2 * database.timeoutMs,
      // The backstop for a server that stopped answering altogether.
      query_timeout: database.timeoutMs + 1000,
      keepAlive: true,
    });
    // An idle connection the server drops (restart, failover) emits 'error'
    // on the pool; unhandled, that would end the process. The next query
    // opens a fresh connection.
    pool.on("error", (error) => console.error("[db] idle connection lost:", error.message));
    const client = new PostgresClient({ adapter: new PrismaPg(pool) }).$extends(noteEveryQuery) as unknown as Db;
    const close = async () => {
      await client.$disconnect();
      await pool.end();
    };
    return { client, reader: createPostgresReader(pool), close };
  }
  ensurePrivateSqliteFile(database.file);
  // busy timeout: writers from several processes (app instances, seed) wait
  // for the lock instead of failing with SQLITE_BUSY.
  const client = new SqliteClient({
    adapter: new PrismaBetterSQLite3({ url: database.file, timeout: database.timeoutMs }),
  }).$extends(noteEveryQuery) as unknown as Db;
  const connection = new Database(database.file, { timeout: database.timeoutMs });
  const close = async () => {
    await client.$disconnect();
    connection.close();
  };
  return { client, reader: createSqliteReader(connection), close };
}

// WAL lets readers proceed while one writer commits; synchronous=NORMAL is the
// setting SQLite recommends with WAL (durable across application crashes).
async function tuneSqlite(client: Db): Promise<void> {
  await client.$queryRawUnsafe("PRAGMA journal_mode = WAL");
  await client.$queryRawUnsafe("PRAGMA synchronous = NORMAL");
}

type Holder = { db?: Db; reader?: Reader; ready?: Promise<void>; close?: () => Promise<void>; timeoutMs?: number };
// One connection pool per process, not one per bundle or dev-mode reload.
const state = processState<Holder>("db", () => ({}));

// Every query goes through here, so the fault-injection seam
// (lib/database-gate.ts) can refuse every one of them.
function opened(): Required<Holder> {
  if (databaseGateRefuses()) throw new DatabaseUnavailable();
  if (!state.db) {
    const database = readDatabaseConfig();
    const { client, reader, close } = open(database);
    state.db = client;
    state.reader = reader;
    state.close = close;
    state.timeoutMs = database.timeoutMs;
    state.ready = database.provider === "sqlite" ? tuneSqlite(client) : Promise.resolve();
  }
  return state as Required<Holder>;
}

export function db(): Db {
  return opened().db;
}

// An interactive transaction bounded like every query (DATABASE_TIMEOUT to
// start, twice that to finish), so a lock held elsewhere cannot hold a
// request open.
export function inTransaction<T>(run: (tx: Tx) => Promise<T>): Promise<T> {
  const { db: client, timeoutMs } = opened();
  return client.$transaction(run, { maxWait: timeoutMs, timeout: 2 * timeoutMs });
}

// One row by key, straight through the driver: ~15 µs on SQLite where Prisma
// takes ~300–400 µs (bench). Only for the reads on every authenticated
// request (a KeyedRead) and `SELECT 1`, in SQL both providers accept;
// everything else, and every write, goes through Prisma. The driver's errors are not
// Prisma's: lib/database-errors.ts recognises both, so an outage still fails closed.
export async function selectOne<T>(read: string | KeyedRead, params: unknown[]): Promise<T | undefined> {
  const { reader } = opened();
  noteQuery("reads");
  return (await reader(read, params)) as T | undefined;
}

// Does the database answer right now (within DATABASE_TIMEOUT)?
export async function databaseAnswers(): Promise<boolean> {
  try {
    await selectOne(`SELECT 1 AS "ok"`, []);
    return true;
  } catch (error) {
    if (isDatabaseUnavailable(error)) return false;
    throw error;
  }
}

// A timestamp that does not parse must not become NaN: every comparison
// with NaN is false, so an expiry check would never fire.
export function toDate(value: unknown): Date {
  const date = value instanceof Date ? value : new Date(value as string | number);
  if (Number.isNaN(date.getTime()))
    throw new Error(`Unreadable timestamp from the database: ${String(value).slice(0, 40)}`);
  return date;
}

// For scripts and tests that go on to another database (DATABASE_URL read
// again at the next db()).
export async function closeDatabase(): Promise<void> {
  const close = state.close;
  Object.assign(state, { db: undefined, reader: undefined, ready: undefined, close: undefined, timeoutMs: undefined });
  await close?.();
}

// Awaited once at start-up (instrumentation, scripts) so PRAGMAs are in force
// before the first request.
export async function dbReady(): Promise<Db> {
  const { db: client, ready } = opened();
  await ready;
  return client;
}
