// npm run bench:cluster: checks /performance's projection of store cores
// against `npm run cluster` itself. For 1 and then 2 instances behind nginx
// on one PostgreSQL, it signs users in through nginx, drives a few of the
// lab's check routes with the bench's load, and measures PostgreSQL's CPU
// time per request as the bench does (every `postgres` process, from
// /proc). The projection holds where that cost stays what `npm run bench`
// measured with one process and no proxy, whatever the number of instances.
// Writes bench/results/cluster-check.json, which /performance shows.
//
//   DATABASE_URL=postgresql://… npm run bench:cluster -- --duration 10
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { labCredential } from "@/bench/app";
import { storeCpuMeter } from "@/bench/cpu";
import { round, runLoad, summarize } from "@/bench/load";
import { readBenchResults } from "@/lib/showcase/bench-results";
import { CLUSTER_CHECK_FILE, ClusterCheck } from "@/lib/showcase/cluster-check";
import { createScratchDatabase } from "@/scripts/db";
import { startInstance } from "@/scripts/instances";

const { values: args } = parseArgs({
  options: {
    duration: { type: "string", default: "10" },
    connections: { type: "string", default: "10" },
    port: { type: "string", default: "3400" },
  },
});
const durationSeconds = Number(args.duration);
const connections = Number(args.connections);
const port = Number(args.port);
// A design that reads one row per check, one that reads a row by a token's
// hash, and one that reads nothing.
const STRATEGIES = ["server-session", "opaque-bearer", "bearer-jwt"];
const INSTANCES = [1, 2];

if (!process.env.DATABASE_URL?.startsWith("postgres")) {
  console.error("npm run bench:cluster needs DATABASE_URL=postgresql://… (it uses a new database beside it).");
  process.exit(2);
}
const committed = readBenchResults("postgres", "bench/results/latest-postgres.json");
if (committed.status !== "ok") {
  console.error("Run `DATABASE_URL=postgresql://… npm run bench` first: the check compares with its result.");
  process.exit(2);
}

const base = `http://127.0.0.1:${port}`;
const storeCpuMs = storeCpuMeter(process.env.DATABASE_URL);
if (!storeCpuMs) {
  console.error("npm run bench:cluster measures a PostgreSQL on this machine: DATABASE_URL's host must be loopback.");
  process.exit(2);
}

async function signIn(strategy: string, account: { email: string; password: string }): Promise<Record<string, string>> {
  const answer = await fetch(`${base}/api/lab/${strategy}/sign-in`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: base },
    body: JSON.stringify(account),
  });
  if (answer.status !== 200) throw new Error(`${strategy} sign-in through nginx: ${answer.status}`);
  return labCredential(answer);
}

async function measure(instances: number): Promise<ClusterCheck["runs"]> {
  const databaseUrl = await createScratchDatabase(process.env.DATABASE_URL!, `cluster_check_${instances}`);
  const cluster = await startInstance({
    name: `npm run cluster (${instances})`,
    port,
    command: ["npm", "run", "--silent", "cluster", "--", "--instances", String(instances), "--port", String(port)],
    env: {
      DATABASE_URL: databaseUrl,
      // As the bench: its users register and sign in from one address.
      THROTTLE_REGISTER_FREE: "10000",
      THROTTLE_REGISTER_NETWORK_FREE: "10000",
      ACCESS_TOKEN_TTL: "24h",
    },
    logFile: path.join("data", "cluster", `check-${instances}.log`),
  });
  try {
    const users = Array.from({ length: connections }, (_, i) => ({
      email: `cluster-check-${i}@example.com`,
      password: `cluster check password ${i}`,
    }));
    const credentials: Record<string, Record<string, string>[]> = Object.fromEntries(
      STRATEGIES.map((strategy) => [strategy, []]),
    );
    for (const user of users) {
      const registered = await fetch(`${base}/api/auth/register`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: base },
        body: JSON.stringify(user),
      });
      if (registered.status !== 201) throw new Error(`register through nginx: ${registered.status}`);
      for (const strategy of STRATEGIES) credentials[strategy]!.push(await signIn(strategy, user));
    }
    const runs: ClusterCheck["runs"] = [];
    for (const strategy of STRATEGIES) {
      const url = `${base}/api/lab/${strategy}/me`;
      await runLoad(url, credentials[strategy]!, { connections, durationSeconds: 2 });
      const run = await runLoad(url, credentials[strategy]!, {
        connections,
        durationSeconds,
        storeCpuMs,
      });
      const summary = summarize([run]);
      if (summary.non2xx > 0 || summary.errors > 0) {
        throw new Error(`${strategy} through nginx: ${summary.non2xx} non-2xx, ${summary.errors} errors`);
      }
      runs.push({
        instances,
        route: `lab-${strategy}`,
        requests_per_sec: summary.requests_per_sec,
        store_cpu_us_per_request: summary.store_cpu_us_per_request,
      });
      console.log(
        `  ${instances} instance(s), lab-${strategy}: ${summary.requests_per_sec} req/s, PostgreSQL ${summary.store_cpu_us_per_request} µs CPU per request`,
      );
    }
    return runs;
  } finally {
    await cluster.stop();
  }
}

const runs: ClusterCheck["runs"] = [];
for (const instances of INSTANCES) {
  console.log(
    `npm run cluster with ${instances} instance(s), ${connections} connections, ${durationSeconds} s per route…`,
  );
  runs.push(...(await measure(instances)));
}
const benchAt = committed.result.at;
const check = ClusterCheck.parse({
  at: new Date().toISOString(),
  bench_at: benchAt,
  connections,
  duration_s: durationSeconds,
  runs,
  projected: STRATEGIES.map((strategy) => {
    const route = committed.result.routes.find((r) => r.name === `lab-${strategy}`);
    return { route: `lab-${strategy}`, store_cpu_us_per_request: route?.store_cpu_us_per_request ?? null };
  }),
});
mkdirSync(path.dirname(CLUSTER_CHECK_FILE), { recursive: true });
writeFileSync(CLUSTER_CHECK_FILE, `${JSON.stringify(check, null, 2)}\n`);
for (const { route, store_cpu_us_per_request: projected } of check.projected) {
  const measured = runs.filter((run) => run.route === route).map((run) => run.store_cpu_us_per_request);
  console.log(
    `${route}: the bench measured ${projected} µs per request; npm run cluster ${measured.join(", ")} µs (1, 2 instances)`,
  );
}
console.log(`Wrote ${CLUSTER_CHECK_FILE} (${round(durationSeconds, 0)} s per route).`);
