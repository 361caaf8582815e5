// npm run bench: what each auth check costs, measured in one run.
// Builds if needed, starts the production server on a fresh database, signs
// in one user per connection both ways, drives every route with autocannon
// (same connections and duration each), measures /api/me during a sign-in
// storm and sign-ins during a registration flood, then the per-primitive
// costs in-process. Each route's time is split into rounds that take turns,
// so a machine that drifts (other load, CPU boost) drifts for every route
// alike. Prints a table and writes the result
// as JSON (lib/bench-results.ts has its shape).
//
//   npm run bench -- --duration 20 --connections 10 --rounds 5
//   DATABASE_URL=postgresql://… npm run bench    (uses a new database next to it)
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { BenchResult, type RouteResult } from "@/lib/showcase/bench-results";
import { readDatabaseConfig } from "@/lib/config";
import { buildIfNeeded } from "@/scripts/instances";
import { percentile, ratioToBaseline, round, runLoad, summarize, type LoadRun, type LoadSummary } from "@/bench/load";
import { committedResultsFile, REPORT_FILE, writeReport } from "@/bench/report";
import { processGroupCpuMs, storeCpuMeter } from "@/bench/cpu";
import { benchApp, LAB_STRATEGIES, scratchDatabase, usersFor, type Credentials, type RouteSpec } from "@/bench/app";

const { values: args } = parseArgs({
  options: {
    duration: { type: "string", default: "20" },
    rounds: { type: "string", default: "5" },
    connections: { type: "string", default: "10" },
    warmup: { type: "string", default: "3" },
    samples: { type: "string", default: "2000" },
    port: { type: "string", default: "3200" },
    // Default: bench/results/latest.json, or latest-postgres.json on PostgreSQL.
    out: { type: "string" },
  },
});

function positive(name: string, raw: string, integer = true): number {
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    console.error(`--${name} must be a positive ${integer ? "integer" : "number"} (got "${raw}")`);
    process.exit(2);
  }
  return value;
}

const durationSeconds = positive("duration", args.duration, false);
const connections = positive("connections", args.connections);
const rounds = positive("rounds", args.rounds);
const roundSeconds = durationSeconds / rounds;
const warmupSeconds = positive("warmup", args.warmup, false);
const samples = positive("samples", args.samples);
const port = positive("port", args.port);
const bcryptCost = Number(process.env.BCRYPT_COST ?? 12);
const users = usersFor(connections);
const app = benchApp(port);
const { base, post, expectStatus, signInUsers, ROUTES, setDenylist, storeQueries } = app;

// A protected route must refuse the request without its credential and
// accept it with: otherwise the load below would not measure an auth check.
// Returns the store reads the server counted for that request, where the
// route says (the lab's check routes).
async function checkRoute(spec: RouteSpec, credentials: Credentials): Promise<number | undefined> {
  const authed = await fetch(url(spec), { headers: spec.headers(credentials), redirect: "manual" });
  await expectStatus(authed, 200, `${spec.name} with credentials`);
  const body = authed.headers.get("content-type")?.includes("json") ? ((await authed.json()) as unknown) : null;
  const reads = (body as { store_reads?: number } | null)?.store_reads;
  if (!spec.open) {
    const anonymous = await fetch(url(spec), { redirect: "manual" });
    const refused = spec.path === "/account" ? 307 : 401;
    await expectStatus(anonymous, refused, `${spec.name} without credentials`);
  }
  return reads;
}

// The lab's routes here are the strategies the app serves, no more, no fewer.
async function checkLabStrategies(): Promise<void> {
  const answer = await expectStatus(await fetch(`${base}/api/lab`), 200, "GET /api/lab");
  const served = ((await answer.json()) as { strategies: { name: string }[] }).strategies.map((s) => s.name);
  if (served.join() !== LAB_STRATEGIES.join()) {
    throw new Error(`the bench measures ${LAB_STRATEGIES.join(", ")}; /api/lab lists ${served.join(", ")}`);
  }
}

function checkedSummary(name: string, runs: LoadRun[]): LoadSummary {
  const summary = summarize(runs);
  if (summary.non2xx > 0 || summary.errors > 0 || summary.timeouts > 0 || summary.requests === 0) {
    throw new Error(
      `${name}: ${summary.requests} ok, ${summary.non2xx} non-2xx, ${summary.errors} errors, ${summary.timeouts} timeouts`,
    );
  }
  return summary;
}

const url = (spec: RouteSpec) => `${spec.origin ?? base}${spec.path}`;

let storeCpuMs: (() => number | null) | undefined;

// `serverCpuMs`: the CPU time so far of whichever server answers the
// route; `measured`: read the store's CPU time and the app's store queries too.
async function loadRoute(
  spec: RouteSpec,
  credentials: Credentials[],
  seconds: number,
  serverCpuMs?: () => number | null,
): Promise<LoadRun> {
  if (spec.name === "jwt-denylist") await setDenylist(credentials[0]!, true);
  try {
    return await runLoad(url(spec), credentials.map(spec.headers), {
      connections,
      durationSeconds: seconds,
      serverCpuMs,
      ...(serverCpuMs && { storeCpuMs, storeQueries }),
    });
  } finally {
    if (spec.name === "jwt-denylist") await setDenylist(credentials[0]!, false);
  }
}

type SignIns = { durations: number[]; failures: number };

// One more client signing in back to back (bcrypt at the configured cost)
// while `during` runs.
async function withSignInStorm<T>(during: () => Promise<T>, signIns: SignIns): Promise<T> {
  const account = { email: "storm@example.com", password: "storm password" };
  let running = true;
  const storm = (async () => {
    while (running) {
      const started = performance.now();
      const response = await post("/api/auth/token", account);
      await response.arrayBuffer();
      if (response.status === 200) signIns.durations.push(performance.now() - started);
      else signIns.failures++;
    }
  })();
  try {
    return await during();
  } finally {
    running = false;
    await storm;
  }
}

// Token sign-ins back to back for `seconds`, each timed; any answer but 200
// fails the bench (a sign-in must never be refused or throttled here).
async function timedSignIns(seconds: number): Promise<number[]> {
  const account = { email: "storm@example.com", password: "storm password" };
  const durations: number[] = [];
  const until = performance.now() + seconds * 1000;
  while (performance.now() < until) {
    const started = performance.now();
    await expectStatus(await post("/api/auth/token", account), 200, "sign-in during the registration flood");
    durations.push(performance.now() - started);
  }
  return durations;
}

const FLOOD_CLIENTS = 8;
type Flood = { alone: number[]; during: number[]; accepted: number; refusedBusy: number };

// Sign-ins alone, then with FLOOD_CLIENTS registering new accounts back to
// back (a bcrypt hash each). Registrations may be refused as busy (503):
// that is the bound working; anything else fails the bench.
async function registrationFlood(seconds: number, flood: Flood, round: number): Promise<void> {
  flood.alone.push(...(await timedSignIns(seconds)));
  let running = true;
  const clients = Array.from({ length: FLOOD_CLIENTS }, async (_, client) => {
    for (let i = 0; running; i++) {
      const response = await post("/api/auth/register", {
        email: `flood-${round}-${client}-${i}@example.com`,
        password: "flood password",
      });
      await response.arrayBuffer();
      if (response.status === 201) flood.accepted++;
      else if (response.status === 503) {
        flood.refusedBusy++;
        await new Promise((resolve) => setTimeout(resolve, 50));
      } else throw new Error(`registration flood: unexpected ${response.status}`);
    }
  });
  try {
    flood.during.push(...(await timedSignIns(seconds)));
  } finally {
    running = false;
    await Promise.all(clients);
  }
}

function runPrimitives(databaseUrl: string): BenchResult["primitives"] {
  const output = execFileSync(
    "node_modules/.bin/tsx",
    ["bench/primitives.ts", "--json", "--samples", String(samples)],
    {
      env: { ...process.env, DATABASE_URL: databaseUrl, BCRYPT_COST: String(bcryptCost) },
      stdio: ["ignore", "pipe", "inherit"],
      encoding: "utf8",
    },
  );
  return (JSON.parse(output.slice(output.indexOf("{"))) as { primitives: BenchResult["primitives"] }).primitives;
}

function table(rows: (string | number)[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => String(row[i]).length)));
  return rows
    .map((row) =>
      row.map((cell, i) => (i === 0 ? String(cell).padEnd(widths[i]!) : String(cell).padStart(widths[i]!))).join("  "),
    )
    .join("\n");
}

async function main(): Promise<void> {
  buildIfNeeded();
  const scratch = mkdtempSync(path.join(tmpdir(), "svj-bench-"));
  const serverDatabase = await scratchDatabase(scratch, "server");
  const primitivesDatabase = await scratchDatabase(scratch, "primitives");
  const database = readDatabaseConfig({ DATABASE_URL: serverDatabase }).provider;
  storeCpuMs = storeCpuMeter(serverDatabase);
  const committed = committedResultsFile(database);
  const out = args.out ?? committed;
  const other = committedResultsFile(database === "sqlite" ? "postgres" : "sqlite");
  if (path.resolve(out) === path.resolve(other)) {
    console.error(`--out ${out} is where the other database's result is kept; this run is on ${database}.`);
    process.exit(2);
  }

  console.log(
    `Server on ${base} (${database}, bcrypt cost ${bcryptCost}); ${connections} connections, ${durationSeconds} s per route after ${warmupSeconds} s warm-up`,
  );
  const { server, service } = await app.startServers(serverDatabase, bcryptCost);
  process.on("exit", () => {
    void server.stop();
    void service.stop();
  });

  try {
    console.log(`Signing in ${users} users both ways…`);
    await checkLabStrategies();
    const credentials = await signInUsers(users);
    const storeReads = new Map<string, number>();
    for (const spec of ROUTES) {
      const reads = await checkRoute(spec, credentials[0]!);
      if (reads !== undefined) storeReads.set(spec.name, reads);
    }

    await expectStatus(
      await post("/api/auth/register", { email: "storm@example.com", password: "storm password" }),
      201,
      "register storm user",
    );

    console.log(`Warming up each route for ${warmupSeconds} s…`);
    for (const spec of ROUTES) await loadRoute(spec, credentials, warmupSeconds);

    const runs = new Map<string, LoadRun[]>([
      ...ROUTES.map((spec) => [spec.name, []] as [string, LoadRun[]]),
      ["idle", []],
      ["storm", []],
    ]);
    const signIns: SignIns = { durations: [], failures: 0 };
    const flood: Flood = { alone: [], during: [], accepted: 0, refusedBusy: 0 };
    const jwtRoute = ROUTES.find((spec) => spec.name === "jwt")!;
    for (let round = 1; round <= rounds; round++) {
      console.log(`Round ${round}/${rounds}`);
      // Each round starts one route later, so no route always follows the
      // heavy page render (and its garbage collection).
      const order = ROUTES.map((_, i) => ROUTES[(i + round - 1) % ROUTES.length]!);
      for (const spec of order) {
        const serving = spec.origin ? service : server;
        const run = await loadRoute(spec, credentials, roundSeconds, () => processGroupCpuMs(serving.process.pid!));
        runs.get(spec.name)!.push(run);
        console.log(`  ${spec.name.padEnd(14)} ${(run.ok / run.seconds).toFixed(1).padStart(8)} req/s`);
      }
      // The storm's reference: the same /api/me load with no sign-ins, just before.
      runs.get("idle")!.push(await loadRoute(jwtRoute, credentials, roundSeconds));
      runs.get("storm")!.push(await withSignInStorm(() => loadRoute(jwtRoute, credentials, roundSeconds), signIns));
      await registrationFlood(roundSeconds, flood, round);
    }
    await service.stop();
    await server.stop();

    const summaries = new Map([...runs].map(([name, list]) => [name, checkedSummary(name, list)]));
    const idle = summaries.get("idle")!;
    const storm = summaries.get("storm")!;
    const signInTimes = signIns.durations.sort((a, b) => a - b);
    if (signInTimes.length === 0 || signIns.failures > 0) {
      throw new Error(
        `storm: ${signInTimes.length} sign-ins succeeded, ${signIns.failures} failed; the storm did not happen as intended`,
      );
    }

    console.log("Primitives, in-process…");
    const primitives = runPrimitives(primitivesDatabase);

    const ratioTo = (spec: RouteSpec, reference: string) =>
      round(ratioToBaseline(runs.get(spec.name)!, runs.get(reference)!), 3);
    const routes: RouteResult[] = ROUTES.map((spec) => {
      const summary = summaries.get(spec.name)!;
      return {
        name: spec.name,
        path: spec.path,
        requests_per_sec: summary.requests_per_sec,
        p50_ms: summary.p50_ms,
        p99_ms: summary.p99_ms,
        ratio_to_baseline: ratioTo(spec, "baseline"),
        ratio_to_bare: ratioTo(spec, "bare"),
        ...(spec.page ? { ratio_to_page_baseline: ratioTo(spec, "page-baseline") } : {}),
        // A lab strategy that reads the store by design is weighed against
        // the server session, the design it is one change to.
        ...(storeReads.has(spec.name) && { store_reads_per_request: storeReads.get(spec.name) }),
        ...(storeReads.get(spec.name)! > 0 && { ratio_to_server_session: ratioTo(spec, "lab-server-session") }),
        rounds_requests_per_sec: summary.rounds_requests_per_sec,
        requests: summary.requests,
        non2xx: summary.non2xx,
        errors: summary.errors,
        server_cpu_us_per_request: summary.server_cpu_us_per_request,
        auth_check_p50_us: summary.auth_check_p50_us,
        store_queries_per_1000_requests: summary.store_queries_per_1000_requests,
        store_cpu_us_per_request: summary.store_cpu_us_per_request,
      };
    });
    const ratio = (name: string) => routes.find((route) => route.name === name)!.ratio_to_baseline;
    const alone = flood.alone.sort((a, b) => a - b);
    const during = flood.during.sort((a, b) => a - b);
    const stormRatio = round(storm.p99_ms / idle.p99_ms, 2);
    const result: BenchResult = BenchResult.parse({
      at: new Date().toISOString(),
      machine: {
        cpus: cpus().length,
        cpu_model: cpus()[0]?.model.trim() ?? "unknown",
        node: process.version,
        platform: `${process.platform} ${process.arch}`,
        memory_gb: round(totalmem() / 2 ** 30, 1),
      },
      settings: {
        database,
        duration_s: durationSeconds,
        rounds,
        warmup_s: warmupSeconds,
        connections,
        bcrypt_cost: bcryptCost,
        users,
      },
      routes,
      credentials: {
        session_cookie_bytes: Buffer.byteLength(`cookie: ${credentials[0]!.cookie.cookie}`),
        bearer_header_bytes: Buffer.byteLength(`authorization: ${credentials[0]!.bearer.authorization}`),
      },
      primitives,
      storm: {
        idle_p99_ms: idle.p99_ms,
        storm_p99_ms: storm.p99_ms,
        signins: signInTimes.length,
        signin_p50_ms: round(percentile(signInTimes, 0.5), 1),
        signin_failures: signIns.failures,
        p99_ratio: stormRatio,
      },
      registration_flood: {
        flood_clients: FLOOD_CLIENTS,
        alone_signins: alone.length,
        alone_signin_p50_ms: round(percentile(alone, 0.5), 1),
        alone_signin_p99_ms: round(percentile(alone, 0.99), 1),
        flood_signins: during.length,
        flood_signin_p50_ms: round(percentile(during, 0.5), 1),
        flood_signin_p99_ms: round(percentile(during, 0.99), 1),
        registrations_accepted: flood.accepted,
        registrations_refused_busy: flood.refusedBusy,
      },
      targets: [
        ...["jwt", "jwt-denylist", "session-json"].map((route) => ({
          name: `${route} ratio to baseline`,
          goal: "≥ 0.9",
          value: ratio(route),
          met: ratio(route) >= 0.9,
        })),
        // The lab's designs that read nothing per check must cost what a
        // check that reads nothing costs.
        ...routes
          .filter((route) => route.store_reads_per_request === 0)
          .map((route) => ({
            name: `${route.name} ratio to baseline`,
            goal: "≥ 0.9",
            value: route.ratio_to_baseline,
            met: route.ratio_to_baseline >= 0.9,
          })),
        { name: "storm p99 / idle p99", goal: "≤ 2", value: stormRatio, met: stormRatio <= 2 },
      ],
    });

    mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
    writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);

    console.log(`\n${result.machine.cpus} × ${result.machine.cpu_model}, Node ${result.machine.node}, ${database}\n`);
    console.log(
      table([
        [
          "route",
          "path",
          "req/s",
          "p50 ms",
          "p99 ms",
          "× baseline",
          "× bare",
          "× page baseline",
          "store reads",
          "× server-session",
          "queries / 1k",
          "store µs",
        ],
        ...routes.map((r) => [
          r.name,
          r.path,
          r.requests_per_sec,
          r.p50_ms,
          r.p99_ms,
          r.ratio_to_baseline.toFixed(2),
          r.ratio_to_bare.toFixed(2),
          r.ratio_to_page_baseline?.toFixed(2) ?? "",
          r.store_reads_per_request ?? "",
          r.ratio_to_server_session?.toFixed(2) ?? "",
          r.store_queries_per_1000_requests ?? "",
          r.store_cpu_us_per_request ?? "",
        ]),
      ]),
    );
    console.log(
      `\nstorm: /api/me p99 ${idle.p99_ms} ms idle, ${storm.p99_ms} ms during ${result.storm.signins} sign-ins (p50 ${result.storm.signin_p50_ms} ms each, ${result.storm.signin_failures} failed)`,
    );
    const f = result.registration_flood!;
    console.log(
      `registration flood (${f.flood_clients} clients): sign-in p50/p99 ${f.alone_signin_p50_ms}/${f.alone_signin_p99_ms} ms alone, ${f.flood_signin_p50_ms}/${f.flood_signin_p99_ms} ms during it; registrations ${f.registrations_accepted} accepted, ${f.registrations_refused_busy} refused as busy (503)\n`,
    );
    console.log(
      table([
        ["primitive", "µs/op", "p50 µs", "p99 µs"],
        ...primitives.map((p) => [p.name, p.us_per_op, p.p50_us, p.p99_us]),
      ]),
    );
    console.log(
      `\nTargets:\n${result.targets.map((t) => `  ${t.met ? "✓" : "✗"} ${t.name} ${t.goal}: ${t.value}`).join("\n")}`,
    );
    console.log(`\nWrote ${out}`);
    // The committed results are the ones the docs quote.
    if (path.resolve(out) === path.resolve(committed)) {
      writeReport(result);
      console.log(`Wrote its numbers into ${REPORT_FILE}`);
    }
  } finally {
    await service.stop();
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(`\nbench failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
