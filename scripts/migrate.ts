// npm run db:migrate: applies the committed migrations to DATABASE_URL
// (the SQLite file by default, created if missing).
import { readDatabaseConfig } from "@/lib/config";
import { migrate } from "@/scripts/db";

const database = readDatabaseConfig();
migrate(database.url);
console.log(`Migrated ${database.provider === "sqlite" ? database.file : "PostgreSQL database"}.`);
