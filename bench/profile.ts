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
import { benchApp } from "@/bench/app";
import { runLoad } from "@/bench/load";
import { readDatabaseConfig } from "@/lib/config";
import { createScratchDatabase } from "@/scripts/db";
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

type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number } };
type Profile = { nodes: Node[]; samples: number[]; timeDeltas: number[] };

// Self time in µs by function (name, file and line), from a .cpuprofile.
function selfTimes(profile: Profile): Map<string, number> {
  const byNode = new Map<number, number>();
  profile.samples.forEach((node, i) => byNode.set(node, (byNode.get(node) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const frames = new Map<string, number>();
  for (const node of profile.nodes) {
    const us = byNode.get(node.id);
    if (!us) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url.replace(/^file:\/\//, "").replace(`${process.cwd()}/`, "");
    const key = `${functionName || "(anonymous)"} ${file ? `${file}:${lineNumber + 1}` : ""}`.trim();
    frames.set(key, (frames.get(key) ?? 0) + us);
  }
  return frames;
}

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

async function profileRoute(name: string, port: number): Promise<{ frames: Map<string, number>; requests: number }> {
  const app = benchApp(port);
  const spec = app.ROUTES.find((route) => route.name === name);
  if (!spec || spec.origin) throw new Error(`--routes: no route of the app named ${name}`);
  const dir = mkdtempSync(path.join(tmpdir(), `svj-profile-${name}-`));
  const postgres = process.env.DATABASE_URL?.startsWith("postgres") ? process.env.DATABASE_URL : undefined;
  const database = postgres
    ? await createScratchDatabase(postgres, "bench_profile")
    : `file:${path.join(dir, "server.db")}`;
  const { server, service } = await app.startServers(database, 4, {
    NODE_OPTIONS: `--import=${path.resolve("bench/cpu-profile.mjs")}`,
    CPU_PROFILE_DIR: dir,
  });
  let profile: { frames: Map<string, number>; requests: number };
  try {
    const connections = Number(args.connections);
    const credentials = await app.signInUsers(Math.min(connections, 16));
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
    profile = { frames: selfTimes(await serverProfile(dir, pid)), requests: run.ok };
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
const profiles = new Map<string, { frames: Map<string, number>; requests: number }>();
for (const name of names) profiles.set(name, await profileRoute(name, Number(args.port)));

const [reference] = names;
const perRequest = (name: string, key: string) => {
  const { frames, requests } = profiles.get(name)!;
  return (frames.get(key) ?? 0) / requests;
};
for (const name of names) {
  const { frames, requests } = profiles.get(name)!;
  const total = [...frames.values()].reduce((sum, us) => sum + us, 0) / requests;
  console.log(`\n${name}: ${total.toFixed(0)} µs of main-thread CPU per request in all (${requests} requests)`);
  console.log(`${"µs/req".padStart(8)} ${`${reference}`.padStart(10)}  function (file:line)`);
  // The reference by its own self time; every other route by what it
  // spends over the reference, so what the route adds comes first.
  const weight = (key: string) => perRequest(name, key) - (name === reference ? 0 : perRequest(reference!, key));
  const top = [...frames.keys()].sort((a, b) => weight(b) - weight(a)).slice(0, Number(args.top));
  for (const key of top)
    console.log(
      `${perRequest(name, key).toFixed(1).padStart(8)} ${perRequest(reference!, key).toFixed(1).padStart(10)}  ${key}`,
    );
}
