// npm run bench:profile -- [--routes baseline,session-json,jwt] [--seconds 15] [--warmup 3] [--connections 10] [--top 15]
// Where a route's server time goes. For each route, the bench's server
// (bench/app.ts: the production build, a fresh database, SQLite unless
// DATABASE_URL names PostgreSQL) runs under V8's CPU profiler
// (bench/cpu-profile.mjs) while that route alone is under the bench's load. Printed per route: the
// functions that spent the most CPU time themselves (self time), in µs per
// request, each beside its time on the first route (the reference, the
// baseline by default), ordered by what the route spends there over the
// reference.
// Only the measured load is profiled: not the start, sign-ins or warm-up.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { benchApp, scratchDatabase, usersFor } from "@/bench/app";
import { runLoad } from "@/bench/load";
import { frameTimes, type Frames, type Profile } from "@/bench/profile-frames";
import { readDatabaseConfig } from "@/lib/config";
import { buildIfNeeded } from "@/scripts/instances";

const { values: args } = parseArgs({
  options: {
    routes: { type: "string", default: "baseline,session-json,jwt,jwt-denylist" },
    seconds: { type: "string", default: "15" },
    connections: { type: "string", default: "10" },
    top: { type: "string", default: "15" },
    warmup: { type: "string", default: "3" },
    port: { type: "string", default: "3250" },
  },
});

// The app server's main thread (bench/cpu-profile.mjs): its pid, and the
// profile it writes when told to stop (complete once it parses: it is
// written in one call).
function serverPid(dir: string): number {
  return Number(readFileSync(path.join(dir, "server.ts.pid"), "utf8"));
}

async function serverProfile(dir: string, pid: number): Promise<Profile> {
  const file = path.join(dir, `server.ts.${pid}.cpuprofile`);
  for (let waited = 0; waited < 30_000; waited += 100) {
    try {
      return JSON.parse(readFileSync(file, "utf8")) as Profile;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`the server wrote no CPU profile (${file})`);
}

async function profileRoute(name: string, port: number): Promise<{ frames: Frames; requests: number }> {
  const app = benchApp(port);
  const spec = app.ROUTES.find((route) => route.name === name);
  if (!spec || spec.origin) throw new Error(`--routes: no route of the app named ${name}`);
  const dir = mkdtempSync(path.join(tmpdir(), `svj-profile-${name}-`));
  const { server, service } = await app.startServers(await scratchDatabase(dir, "profile"), 4, {
    NODE_OPTIONS: `--import=${path.resolve("bench/cpu-profile.mjs")}`,
    CPU_PROFILE_DIR: dir,
  });
  let profile: { frames: Frames; requests: number };
  try {
    const connections = Number(args.connections);
    const credentials = await app.signInUsers(usersFor(connections));
    if (name === "jwt-denylist") await app.setDenylist(credentials[0]!, true);
    const load = (durationSeconds: number) =>
      runLoad(`${app.base}${spec.path}`, credentials.map(spec.headers), { connections, durationSeconds });
    // Warmed up as the bench warms up its routes, then profiled alone.
    await load(Number(args.warmup));
    const pid = serverPid(dir);
    process.kill(pid, "SIGUSR2");
    const run = await load(Number(args.seconds));
    process.kill(pid, "SIGUSR2");
    if (run.non2xx > 0 || run.errors > 0) throw new Error(`${name}: ${run.non2xx} non-2xx, ${run.errors} errors`);
    console.log(`${name}: ${run.ok} requests in ${run.seconds} s (${Math.round(run.ok / run.seconds)} req/s)`);
    profile = { frames: frameTimes(await serverProfile(dir, pid)), requests: run.ok };
  } finally {
    await service.stop();
    await server.stop();
  }
  return profile;
}

buildIfNeeded();
const names = args.routes.split(",").map((name) => name.trim());
const database = readDatabaseConfig().provider;
console.log(`CPU profiles on ${database}, ${args.seconds} s per route, ${args.connections} connections`);
const profiles = new Map<string, { frames: Frames; requests: number }>();
for (const name of names) profiles.set(name, await profileRoute(name, Number(args.port)));

const [reference] = names;
const perRequest = (name: string, kind: keyof Frames, key: string) => {
  const { frames, requests } = profiles.get(name)!;
  return (frames[kind].get(key) ?? 0) / requests;
};
function printTop(name: string, kind: keyof Frames, heading: string): void {
  console.log(`${heading}\n${"µs/req".padStart(8)} ${`${reference}`.padStart(10)}  function (file:line)`);
  // The reference by its own time; every other route by what it spends
  // over the reference, so what the route adds comes first.
  const weight = (key: string) =>
    perRequest(name, kind, key) - (name === reference ? 0 : perRequest(reference!, kind, key));
  const keys = [...profiles.get(name)!.frames[kind].keys()];
  for (const key of keys.sort((a, b) => weight(b) - weight(a)).slice(0, Number(args.top)))
    console.log(
      `${perRequest(name, kind, key).toFixed(1).padStart(8)} ${perRequest(reference!, kind, key).toFixed(1).padStart(10)}  ${key}`,
    );
}
for (const name of names) {
  const { frames, requests } = profiles.get(name)!;
  const total = [...frames.self.values()].reduce((sum, us) => sum + us, 0) / requests;
  console.log(`\n${name}: ${total.toFixed(0)} µs of main-thread CPU per request in all (${requests} requests)`);
  printTop(name, "self", "Self time:");
  printTop(name, "ownInclusive", "The app's own functions, with what they called:");
}
