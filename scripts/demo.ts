// npm run demo: from a fresh clone (after npm ci) to a running production
// server with the demo user, in one command. Builds only when the sources
// are newer than the last build.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { DEMO_USER } from "@/lib/demo";
import { generateClients } from "@/scripts/db";
import { NEXT_ENV, prepareApp, runNext } from "@/scripts/prepare";

const SOURCES = ["app", "components", "lib", "prisma", "public", "instrumentation.ts", "next.config.mjs", "package-lock.json"];
const BUILD_ID = ".next/BUILD_ID";

function newestMtime(entry: string): number {
  if (!existsSync(entry)) return 0;
  const stats = statSync(entry);
  if (!stats.isDirectory()) return stats.mtimeMs;
  if (entry.endsWith("generated")) return 0;
  return Math.max(0, ...readdirSync(entry).map((child) => newestMtime(path.join(entry, child))));
}

function needsBuild(): boolean {
  if (!existsSync(BUILD_ID)) return true;
  const built = statSync(BUILD_ID).mtimeMs;
  return SOURCES.some((source) => newestMtime(source) > built);
}

const { port } = await prepareApp();
if (needsBuild()) {
  console.log("Building the production bundle (about half a minute)…");
  generateClients();
  execFileSync("node_modules/.bin/next", ["build"], { env: NEXT_ENV, stdio: "inherit" });
}
console.log(`\nsession-vs-jwt on http://localhost:${port} (demo user: ${DEMO_USER.email} / ${DEMO_USER.password})\n`);
runNext(["start", "-p", String(port)]);
