// Database chores shared by the demo, the seed and the test harness:
// bring a database up to the committed migrations, or empty it first.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { readDatabaseConfig, type DatabaseConfig } from "@/lib/config";
import { SetupError } from "@/scripts/setup-error";

const PRISMA = "node_modules/.bin/prisma";

export function migrate(databaseUrl: string): void {
  try {
    execFileSync(PRISMA, ["migrate", "deploy"], {
      env: { ...process.env, DATABASE_URL: databaseUrl, CHECKPOINT_DISABLE: "1" },
      stdio: ["ignore", "ignore", "inherit"],
    });
  } catch {
    throw new SetupError(
      "Applying the migrations failed (Prisma's message is above): check DATABASE_URL, then run `npm run db:migrate`.",
    );
  }
}

function committedMigrations(database: DatabaseConfig): string[] {
  const folder = path.join("prisma", database.provider, "migrations");
  return readdirSync(folder, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);
}

const APPLIED = `SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;

async function appliedMigrations(database: DatabaseConfig): Promise<Set<string>> {
  if (database.provider === "sqlite") {
    if (!existsSync(database.file)) return new Set();
    const connection = new Database(database.file, { readonly: true, timeout: database.timeoutMs });
    try {
      return new Set(
        (connection.prepare(APPLIED).all() as { migration_name: string }[]).map((row) => row.migration_name),
      );
    } catch {
      return new Set(); // no migrations table yet
    } finally {
      connection.close();
    }
  }
  const client = new pg.Client({ connectionString: database.url, connectionTimeoutMillis: database.timeoutMs });
  try {
    await client.connect();
  } catch (error) {
    throw new SetupError(
      `Cannot reach the PostgreSQL database in DATABASE_URL (${(error as Error).message}): start it or fix the URL.`,
    );
  }
  try {
    return new Set((await client.query<{ migration_name: string }>(APPLIED)).rows.map((row) => row.migration_name));
  } catch {
    return new Set(); // no migrations table yet
  } finally {
    await client.end();
  }
}

// Applies the committed migrations only when some are missing: asking is a
// query, while `prisma migrate deploy` takes ~2 s on SQLite and ~12 s on
// PostgreSQL even with nothing to do. Returns whether it migrated.
export async function migrateIfNeeded(databaseUrl: string): Promise<boolean> {
  const database = readDatabaseConfig({ ...process.env, DATABASE_URL: databaseUrl });
  const applied = await appliedMigrations(database);
  if (committedMigrations(database).every((name) => applied.has(name))) return false;
  migrate(databaseUrl);
  return true;
}

// Drops everything so a test run starts from an empty database.
export async function resetDatabase(databaseUrl: string): Promise<void> {
  const database = readDatabaseConfig({ DATABASE_URL: databaseUrl });
  if (database.provider === "sqlite") {
    for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(database.file + suffix, { force: true });
    return;
  }
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    await client.query("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;");
  } finally {
    await client.end();
  }
}

// A new, empty PostgreSQL database beside the one `url` names (the role
// needs CREATEDB), replacing any of the same name; returns its URL. The
// bench and the multi-instance tests never touch the database they are given.
export async function createScratchDatabase(url: string, suffix: string): Promise<string> {
  const target = new URL(url);
  const name = `${target.pathname.slice(1) || "postgres"}_${suffix}`.replace(/[^A-Za-z0-9_]/g, "_").slice(0, 63);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${name}"`);
  } catch (error) {
    throw new Error(`cannot create the database "${name}" (the role needs CREATEDB): ${(error as Error).message}`);
  } finally {
    await client.end();
  }
  target.pathname = `/${name}`;
  return target.toString();
}
