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

export function generateClients(): void {
  for (const schema of ["prisma/sqlite", "prisma/postgres"]) {
    execFileSync(PRISMA, ["generate", "--schema", schema], {
      env: { ...process.env, CHECKPOINT_DISABLE: "1" },
      stdio: ["ignore", "ignore", "inherit"],
    });
  }
}
