// npm test: everything. A production build, then side by side the
// typecheck, lint (ESLint and Prettier), a benchmark smoke run and the unit
// and database tests, then Playwright (API, fuzz and Chromium) against the
// build, on SQLite. When TEST_DATABASE_URL is set (.ci/run sets it): the
// database tests and the benchmark smoke run on PostgreSQL too (in the
// first group), and beside the Playwright run on SQLite, the API suite again
// on PostgreSQL and the multi-instance suite (e2e/cluster), which needs it.
import { spawn } from "node:child_process";
import { generateClients } from "@/scripts/generated-clients";
import { createScratchDatabase } from "@/scripts/db";
import { buildIfNeeded } from "@/scripts/instances";

const bin = (name: string) => `node_modules/.bin/${name}`;
const postgres = process.env.TEST_DATABASE_URL;
const timings: [string, number][] = [];

function timed(name: string, run: () => void): void {
  console.log(`\n━━ ${name}`);
  const started = Date.now();
  try {
    run();
  } catch {
    console.error(`\n✗ ${name} failed`);
    process.exit(1);
  }
  timings.push([name, (Date.now() - started) / 1000]);
}

// `after`: the steps it waits for (finished, whatever their outcome).
type Step = { name: string; command: string; args: string[]; env?: Record<string, string>; after?: string[] };
type Outcome = { name: string; ok: boolean; output: string; seconds: number };

// Steps that do not compete for the same thing (a typecheck and a linter,
// each on one core; test servers on their own ports and databases) run side
// by side, their output printed whole when all have ended.
async function together(steps: Step[]): Promise<void> {
  const running = new Map<string, Promise<Outcome>>();
  for (const step of steps) running.set(step.name, start(step, running));
  const outcomes = await Promise.all(running.values());
  // Every part's output, then every failure named at the end.
  for (const { name, output, seconds } of outcomes) {
    console.log(`\n━━ ${name}${outcomes.length > 1 ? " (run side by side with the others here)" : ""}`);
    process.stdout.write(output);
    timings.push([name, seconds]);
  }
  const failed = outcomes.filter(({ ok }) => !ok);
  if (failed.length > 0) {
    printTimings();
    for (const { name } of failed) console.error(`✗ ${name} failed`);
    process.exit(1);
  }
}

// A step's process, once the steps it waits for have ended; its time is
// counted from its own start.
async function start(step: Step, running: Map<string, Promise<Outcome>>): Promise<Outcome> {
  await Promise.all((step.after ?? []).map((name) => running.get(name)));
  const started = Date.now();
  const chunks: Buffer[] = [];
  const child = spawn(step.command, step.args, {
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...step.env },
  });
  child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
  child.stderr.on("data", (chunk: Buffer) => chunks.push(chunk));
  return new Promise((resolve) =>
    child.on("close", (code) =>
      resolve({
        name: step.name,
        ok: code === 0,
        output: Buffer.concat(chunks).toString(),
        seconds: (Date.now() - started) / 1000,
      }),
    ),
  );
}

function printTimings(): void {
  console.log("\n━━ timings");
  for (const [name, seconds] of timings) console.log(`${seconds.toFixed(1).padStart(7)} s  ${name}`);
}

if (postgres && !/^postgres(ql)?:\/\//.test(postgres)) {
  console.error(`TEST_DATABASE_URL must be a postgresql:// URL, got: ${JSON.stringify(postgres)}`);
  process.exit(2);
}

generateClients();
// The same build `npm run demo` makes; skipped when .next is newer than every
// source. First, because the benchmark smoke runs below need it.
timed("production build", buildIfNeeded);
// Everything at once, each on ports, a database and an output folder of its
// own: most of the time of the Playwright suites is spent waiting (for
// timers, pages, servers), and the rest fills the gaps, so together they
// take little longer than the longest alone (the browser suite).
//
// - The typecheck and ESLint with Prettier.
// - A short `npm run bench` on each database: every route answers 2xx under
//   load and the result has its documented shape (it is parsed before it is
//   written); the Performance page tests read the files. No timing is
//   asserted, and bcrypt runs at cost 4: they check that everything
//   answers, not what a hash costs.
// - Unit and database tests (the PostgreSQL ones run a file at a time and
//   mostly wait on the database).
// - Playwright on SQLite: API and browser tests with two workers; the @serial
//   ones (they change what the whole server does) after the others, one at
//   a time (playwright.config.ts).
// - The API suite again on PostgreSQL, on a database of its own. What the
//   browser suite checks does not depend on the database, and @once tests do
//   not depend on its engine (they run servers or programs of their own, or
//   exercise what the database tests cover on PostgreSQL already).
// - Two instances on one PostgreSQL behind nginx: shared state, outages,
//   restarts, ~30 s of mixed load (each spec file its own database beside
//   it). It counts failed requests under load and an instance killed, so it
//   starts once the typecheck, lint and Vitest runs have freed their cores;
//   it still ends before the browser suite.
const SMOKE = [
  "bench/run.ts",
  "--duration",
  "1",
  "--rounds",
  "1",
  "--warmup",
  "0.25",
  "--connections",
  "2",
  "--samples",
  "50",
];
const E2E_PROJECTS = ["api", "chromium", "api-serial", "chromium-serial"].flatMap((name) => ["--project", name]);
const postgresApi = postgres ? await createScratchDatabase(postgres, "e2e_api") : undefined;
await together([
  { name: "typecheck", command: bin("tsc"), args: ["--noEmit"] },
  { name: "lint (ESLint, Prettier)", command: "npm", args: ["run", "--silent", "lint"] },
  {
    name: "benchmark smoke run (SQLite)",
    command: bin("tsx"),
    args: [...SMOKE, "--out", "data/test/bench.json"],
    env: { DATABASE_URL: "", BCRYPT_COST: "4" },
  },
  {
    name: "unit + database tests (SQLite)",
    command: bin("vitest"),
    args: ["run"],
    env: { DATABASE_URL: "file:./data/test/unit.db" },
  },
  {
    name: "API + end-to-end tests (SQLite)",
    command: bin("playwright"),
    args: ["test", ...E2E_PROJECTS],
    env: { E2E_DATABASE_URL: "file:./data/test/e2e.db" },
  },
  ...(postgres && postgresApi
    ? [
        {
          name: "benchmark smoke run (PostgreSQL)",
          command: bin("tsx"),
          args: [...SMOKE, "--port", "3210", "--out", "data/test/bench-postgres.json"],
          env: { DATABASE_URL: postgres, BCRYPT_COST: "4" },
        },
        {
          name: "database tests (PostgreSQL)",
          command: bin("vitest"),
          args: ["run", "--project", "db"],
          env: { DATABASE_URL: postgres },
        },
        {
          name: "API tests (PostgreSQL)",
          command: bin("playwright"),
          args: ["test", "--project", "api", "--project", "api-serial"],
          env: { E2E_DATABASE_URL: postgresApi, E2E_PORT: "3300", E2E_OUTPUT_DIR: "test-results-postgres" },
        },
        {
          name: "multi-instance, outage, restart and load tests (PostgreSQL)",
          command: bin("playwright"),
          args: ["test", "-c", "playwright.cluster.config.ts"],
          env: { TEST_DATABASE_URL: postgres, CLUSTER_PORT: "3500" },
          after: [
            "typecheck",
            "lint (ESLint, Prettier)",
            "unit + database tests (SQLite)",
            "database tests (PostgreSQL)",
          ],
        },
      ]
    : []),
]);

printTimings();
if (!postgres) {
  console.log(
    [
      "",
      "⚠ NOT RUN (no TEST_DATABASE_URL): database tests on PostgreSQL, the benchmark smoke run on PostgreSQL,",
      "  the API tests on PostgreSQL, and the multi-instance suite (shared state, outages,",
      "  restarts, load). Green above covers SQLite only. To run everything:",
      "  TEST_DATABASE_URL=$(bash scripts/postgres-test-db.sh) npm test",
    ].join("\n"),
  );
}
