// App servers started from scripts and tests (npm run cluster, the bench,
// the multi-instance tests): the production build, built first when the
// sources are newer, one process group per instance, ready once
// /api/health answers, stopped with SIGTERM (SIGKILL if it hangs).
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

const SOURCES = [
  "app",
  "lib",
  "components",
  "public",
  "proxy.ts",
  "instrumentation.ts",
  "prisma/models.prisma",
  "next.config.mjs",
  "postcss.config.mjs",
  "tsconfig.json",
  "package-lock.json",
];

function newestSource(entry: string): number {
  if (!existsSync(entry)) return 0;
  const stat = statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(entry).map((name) => newestSource(path.join(entry, name))));
}

// A build is needed when there is none, or when any source is newer than it.
export function needsBuild(root = "."): boolean {
  const buildId = path.join(root, ".next/BUILD_ID");
  const built = existsSync(buildId) ? statSync(buildId).mtimeMs : 0;
  return built <= Math.max(...SOURCES.map((source) => newestSource(path.join(root, source))));
}

export function buildIfNeeded(): void {
  if (!needsBuild()) return;
  console.log("Building the production bundle (sources are newer than .next; about half a minute)…");
  execFileSync("npm", ["run", "build"], { stdio: "inherit" });
}

// The server entry (server.ts: Next behind a Node HTTP server that decides
// the client's address); PORT in the environment chooses the port. Not
// behind scripts/preflight.ts: a server logs a stray error (as Next does),
// where a script stops.
export const SERVER_COMMAND = ["node_modules/.bin/tsx", "server.ts"];

export type Instance = {
  name: string;
  port: number;
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
};

export type InstanceOptions = {
  name: string;
  port: number;
  env: Record<string, string>;
  // Defaults to the production server (SERVER_COMMAND) on the port.
  command?: string[];
  // The server's output: appended to this file, or passed through.
  logFile?: string;
  readyWithinMs?: number;
  // Answers 200 once the process is ready.
  healthPath?: string;
  // Start from an empty environment (PATH only) instead of this process's.
  cleanEnv?: boolean;
};

export async function startInstance(options: InstanceOptions): Promise<Instance> {
  const [command, ...args] = options.command ?? SERVER_COMMAND;
  let stdio: "inherit" | "pipe" = "inherit";
  if (options.logFile) {
    mkdirSync(path.dirname(options.logFile), { recursive: true });
    stdio = "pipe";
  }
  const child = spawn(command!, args, {
    env: {
      ...(options.cleanEnv ? { PATH: process.env.PATH } : process.env),
      NEXT_TELEMETRY_DISABLED: "1",
      ...options.env,
      PORT: String(options.port),
    } as NodeJS.ProcessEnv,
    stdio: ["ignore", stdio, stdio],
    detached: true,
  });
  if (options.logFile) {
    const log = createWriteStream(options.logFile, { flags: "a" });
    child.stdout!.pipe(log);
    child.stderr!.pipe(log);
  }
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `http://127.0.0.1:${options.port}`;
  const instance: Instance = {
    name: options.name,
    port: options.port,
    url,
    process: child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
      process.kill(-child.pid, "SIGTERM");
      const timer = setTimeout(() => child.pid && process.kill(-child.pid, "SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
  const deadline = Date.now() + (options.readyWithinMs ?? 180_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(
        `${options.name} exited with code ${child.exitCode}${options.logFile ? ` (see ${options.logFile})` : ""}`,
      );
    try {
      if ((await fetch(`${url}${options.healthPath ?? "/api/health"}`)).ok) return instance;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await instance.stop();
  throw new Error(`${options.name} did not answer ${options.healthPath ?? "/api/health"} on port ${options.port}`);
}
