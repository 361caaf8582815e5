// The one place that creates the Prisma client, for the provider DATABASE_URL
// names. Both generated clients come from the same models file, so the app is
// typed against the SQLite one and the PostgreSQL one is used through it.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as SqliteClient } from "@/prisma/generated/sqlite/client";
import { PrismaClient as PostgresClient } from "@/prisma/generated/postgres/client";
import { readDatabaseConfig, type DatabaseConfig } from "@/lib/config";
import { DatabaseUnavailable, databaseIsDown } from "@/lib/faults";

export type Db = SqliteClient;

function createClient(database: DatabaseConfig): Db {
  if (database.provider === "postgres") {
    return new PostgresClient({ adapter: new PrismaPg({ connectionString: database.url }) }) as unknown as Db;
  }
  mkdirSync(path.dirname(database.file), { recursive: true });
  // busy timeout: writers from several processes (app instances, seed) wait
  // for the lock instead of failing with SQLITE_BUSY.
  return new SqliteClient({ adapter: new PrismaBetterSQLite3({ url: database.file, timeout: 5000 }) });
}

// WAL lets readers proceed while one writer commits; synchronous=NORMAL is the
// setting SQLite recommends with WAL (durable across application crashes).
async function tuneSqlite(client: Db): Promise<void> {
  await client.$queryRawUnsafe("PRAGMA journal_mode = WAL");
  await client.$queryRawUnsafe("PRAGMA synchronous = NORMAL");
}

type Holder = { db?: Db; ready?: Promise<void> };
// Survives Next's dev-mode module reloads, which would otherwise open a new
// connection pool on every edit.
const holder = globalThis as typeof globalThis & { __svjDb?: Holder };

// Every query goes through here, so a simulated outage (lib/faults.ts)
// stops every one of them for the requests it covers.
export function db(): Db {
  if (databaseIsDown()) throw new DatabaseUnavailable();
  const state = (holder.__svjDb ??= {});
  if (!state.db) {
    const database = readDatabaseConfig();
    state.db = createClient(database);
    state.ready = database.provider === "sqlite" ? tuneSqlite(state.db) : Promise.resolve();
  }
  return state.db;
}

// Awaited once at start-up (instrumentation, scripts) so PRAGMAs are in force
// before the first request.
export async function dbReady(): Promise<Db> {
  const client = db();
  await holder.__svjDb!.ready;
  return client;
}
