// Database chores shared by the demo, the seed and the test harness:
// bring a database up to the committed migrations, or empty it first.
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import pg from "pg";
import { readDatabaseConfig } from "@/lib/config";

const PRISMA = "node_modules/.bin/prisma";

export function migrate(databaseUrl: string): void {
  execFileSync(PRISMA, ["migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: databaseUrl, CHECKPOINT_DISABLE: "1" },
    stdio: ["ignore", "ignore", "inherit"],
  });
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

export function generateClients(): void {
  for (const schema of ["prisma/sqlite", "prisma/postgres"]) {
    execFileSync(PRISMA, ["generate", "--schema", schema], {
      env: { ...process.env, CHECKPOINT_DISABLE: "1" },
      stdio: ["ignore", "ignore", "inherit"],
    });
  }
}
