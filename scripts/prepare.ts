// What both `npm run demo` and `npm run dev` do before Next starts: secrets,
// pending migrations, the demo user (scripts/preflight.ts has already made
// sure the Prisma clients exist). Then the server (server.ts, Next behind
// it), with signals passed through so Ctrl-C stops it cleanly.
import { spawn, type ChildProcess } from "node:child_process";
import { isLoopbackHost, loadConfig, readHost, type Config } from "@/lib/config";
import { migrateIfNeeded } from "@/scripts/db";
import { SERVER_COMMAND } from "@/scripts/instances";
import { ensureSecretsFile } from "@/scripts/secrets";
import { RESOURCE_SERVER_COMMAND, resourceServerEnv, settingsFor } from "@/scripts/resource-server";

// The demo and dev commands run resource-server/ beside the app: the
// dashboard is told where before the configuration is read.
function setLocalResourceServerUrl(): void {
  process.env.RESOURCE_SERVER_URL ||= `http://localhost:${Number(process.env.PORT || 3000) + 1}`;
}

// A local demo listens on this machine only (127.0.0.1) unless HOST says
// otherwise, and turns the dashboard's server-wide switches on (denylist
// mode, key rotation) only there: with the demo password printed and on
// the sign-in page, they would let anyone on the network sign every visitor
// out. DEMO_CONTROLS=on still turns them on anywhere (the server then says
// what that exposes); `npm start` leaves them off, as any deployment should.
export function configureLocalServer(): void {
  process.env.HOST ||= "127.0.0.1";
  const loopback = isLoopbackHost(readHost(process.env));
  if (!process.env.DEMO_CONTROLS?.trim()) {
    process.env.DEMO_CONTROLS = loopback ? "on" : "off";
    if (!loopback)
      console.log(
        `Demo controls are off: HOST=${process.env.HOST} lets other machines connect. DEMO_CONTROLS=on turns them on anyway.`,
      );
  }
  if (process.env.DEMO_CONTROLS === "on" && loopback) {
    console.log(
      "Demo controls are on (DEMO_CONTROLS=on): any signed-in visitor may switch denylist mode and rotate signing keys. Never on a shared server.",
    );
  }
}

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

// What `npm run demo` and `npm run dev` both do before their server starts:
// loopback and demo controls, the resource server's URL, secrets,
// migrations, the demo user.
export async function prepareLocalApp(): Promise<Config> {
  configureLocalServer();
  setLocalResourceServerUrl();
  return prepareApp();
}

// The separate service of resource-server/, beside the app on the next port
// (RESOURCE_SERVER_URL, which the dashboard calls, unless set otherwise).
export function startResourceServer(config: Config): ChildProcess {
  const [command, ...args] = RESOURCE_SERVER_COMMAND;
  const url = new URL(config.resourceServerUrl!);
  const port = Number(url.port || (url.protocol === "https:" ? 443 : 80));
  return spawn(command!, args, {
    env: { PATH: process.env.PATH, ...resourceServerEnv(settingsFor(config, port)) },
    stdio: "inherit",
  });
}

// Ctrl-C reaches the server and its companions; when the server ends, so does everything.
export function runServer(mode: "production" | "development", companions: ChildProcess[] = []): void {
  const [command, ...args] = SERVER_COMMAND;
  const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
  const server = spawn(command!, [...args, ...(mode === "development" ? ["--dev"] : [])], { env, stdio: "inherit" });
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      server.kill(signal);
      for (const companion of companions) companion.kill(signal);
    });
  }
  server.on("exit", (code) => {
    for (const companion of companions) companion.kill();
    process.exit(code ?? 0);
  });
}
