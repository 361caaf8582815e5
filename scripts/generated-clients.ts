// The two Prisma clients (SQLite and PostgreSQL) are generated into
// prisma/generated/, which is not committed: `npm ci` generates them
// (postinstall), and every command checks before it needs them. Nothing
// here may import the generated code itself.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

const SCHEMAS = ["prisma/sqlite", "prisma/postgres"] as const;

export function clientsGenerated(): boolean {
  return SCHEMAS.every((schema) => existsSync(`prisma/generated/${schema.slice("prisma/".length)}/client.ts`));
}

export function generateClients(): void {
  for (const schema of SCHEMAS) {
    execFileSync("node_modules/.bin/prisma", ["generate", "--schema", schema], {
      env: { ...process.env, CHECKPOINT_DISABLE: "1" },
      stdio: ["ignore", "ignore", "inherit"],
    });
  }
}
