// What both `npm run demo` and `npm run dev` do before Next starts: secrets,
// pending migrations, the demo user (scripts/preflight.ts has already made
// sure the Prisma clients exist). Then the server (server.ts, Next behind
// it), with signals passed through so Ctrl-C stops it cleanly.
import { spawn } from "node:child_process";
import { loadConfig, type Config } from "@/lib/config";
import { migrateIfNeeded } from "@/scripts/db";
import { SERVER_COMMAND } from "@/scripts/instances";
import { ensureSecretsFile } from "@/scripts/secrets";

export const NEXT_ENV = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };

export async function prepareApp(): Promise<Config> {
  ensureSecretsFile();
  const config = loadConfig();
  await migrateIfNeeded(config.database.url);
  const { seed } = await import("@/prisma/seed");
  const { closeDatabase } = await import("@/lib/db");
  await seed();
  await closeDatabase();
  return config;
}

export function runServer(mode: "production" | "development"): void {
  const [command, ...args] = SERVER_COMMAND;
  const server = spawn(command!, [...args, ...(mode === "development" ? ["--dev"] : [])], { env: NEXT_ENV, stdio: "inherit" });
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.kill(signal));
  server.on("exit", (code) => process.exit(code ?? 0));
}
