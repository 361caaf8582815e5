// The Prisma CLI's configuration. Which schema folder and driver adapter it
// uses follows DATABASE_URL, read (like every variable) by lib/config.ts.
// engine "js" runs the schema engine as Wasm through the driver adapter, so no
// engine binary is downloaded (docs/decisions.md §1).
import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { readDatabaseConfig } from "./lib/config";
import { createMigrationPool } from "./prisma/pg-migration-pool";
import { ensurePrivateSqliteFile } from "./lib/private-files";

const database = readDatabaseConfig();

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", database.provider),
  migrations: { path: path.join("prisma", database.provider, "migrations") },
  async adapter() {
    if (database.provider === "postgres") return new PrismaPg(createMigrationPool(database.url));
    ensurePrivateSqliteFile(database.file);
    return new PrismaBetterSQLite3({ url: database.file });
  },
});
