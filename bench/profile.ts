// npm run bench:profile -- [--routes baseline,session-json,jwt] [--seconds 15] [--connections 10] [--top 15]
// Where a route's server time goes. For each route, the bench's server
// (bench/app.ts: the production build, a fresh database, SQLite unless
// DATABASE_URL names PostgreSQL) runs under Node's CPU profiler
// (--cpu-prof) while that route alone is under the bench's load; when the
// server stops, the profiler writes what it sampled. Printed per route: the
// functions that spent the most CPU time themselves (self time), in µs per
// request, each beside its time on the first route (the reference, the
// baseline by default), so what a route adds shows as the difference.
// The server's start and its users' sign-ins are in every profile alike.
import { mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
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

// The server's main thread: the largest profile the server's processes wrote.
function serverProfile(dir: string): Profile {
  const files = readdirSync(dir)
    .filter((name) => name.endsWith(".cpuprofile"))
    .map((name) => path.join(dir, name))
    .sort((a, b) => statSync(b).size - statSync(a).size);
  if (!files[0]) throw new Error(`no CPU profile was written in ${dir}`);
  return JSON.parse(readFileSync(files[0], "utf8")) as Profile;
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
    NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${dir}`,
  });
  let requests: number;
  try {
    const connections = Number(args.connections);
    const credentials = await Promise.all(
      Array.from({ length: Math.min(connections, 16) }, (_, i) => app.signInUser(i)),
    );
    if (name === "jwt-denylist") await app.setDenylist(credentials[0]!, true);
    const run = await runLoad(`${app.base}${spec.path}`, credentials.map(spec.headers), {
      connections,
      durationSeconds: Number(args.seconds),
    });
    if (run.non2xx > 0 || run.errors > 0) throw new Error(`${name}: ${run.non2xx} non-2xx, ${run.errors} errors`);
    console.log(`${name}: ${run.ok} requests in ${run.seconds} s (${Math.round(run.ok / run.seconds)} req/s)`);
    requests = run.ok;
  } finally {
    // The profile is written as the server exits.
    await service.stop();
    await server.stop();
  }
  return { frames: selfTimes(serverProfile(dir)), requests };
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
  const top = [...frames.keys()].sort((a, b) => perRequest(name, b) - perRequest(name, a)).slice(0, Number(args.top));
  for (const key of top)
    console.log(
      `${perRequest(name, key).toFixed(1).padStart(8)} ${perRequest(reference!, key).toFixed(1).padStart(10)}  ${key}`,
    );
}
