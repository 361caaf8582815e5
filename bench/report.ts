// The benchmark's numbers as Markdown, written into the documentation
// between two markers per database by `npm run bench` (and `npm run
// bench:report`), so no number in the docs is typed by hand.
// bench/report.test.ts fails when the docs and the committed results
// (bench/results/latest.json, latest-postgres.json) disagree.
import { readFileSync, writeFileSync } from "node:fs";
import { DEFAULT_BENCH_RESULTS_FILE } from "@/lib/config";
import {
  benchResultsFile,
  primitiveById,
  routeByName,
  type BenchResult,
  type Database,
} from "@/lib/showcase/bench-results";

export const REPORT_FILE = "docs/performance.md";

export function committedResultsFile(database: Database): string {
  return benchResultsFile(database, DEFAULT_BENCH_RESULTS_FILE);
}

export function markers(database: Database): { begin: string; end: string } {
  const file = committedResultsFile(database);
  return {
    begin: `<!-- bench:report ${file}: written by \`npm run bench\`; do not edit -->`,
    end: `<!-- /bench:report ${file} -->`,
  };
}

const row = (cells: (string | number)[]) => `| ${cells.join(" | ")} |`;
const fixed = (value: number, digits: number) => value.toFixed(digits);

// How far a route's rounds stray from their mean, the worst route's.
export function roundSpreadPercent(result: BenchResult): number {
  const spreads = result.routes.map((route) => {
    const rounds = route.rounds_requests_per_sec;
    const mean = rounds.reduce((sum, value) => sum + value, 0) / rounds.length;
    return Math.max(...rounds.map((value) => Math.abs(value / mean - 1)));
  });
  return Math.round(Math.max(...spreads) * 100);
}

export function renderReport(result: BenchResult): string {
  const { machine, settings } = result;
  const lines: string[] = [];
  lines.push(
    `Measured ${result.at.slice(0, 10)} on ${machine.cpus} × ${machine.cpu_model}, Node ${machine.node}, ` +
      `${settings.database === "sqlite" ? "SQLite" : "PostgreSQL"}, ${settings.connections} connections, ` +
      `${settings.rounds} rounds of ${settings.duration_s / settings.rounds} s per route, bcrypt cost ${settings.bcrypt_cost}:`,
    "",
    row([
      "route",
      "path",
      "req/s",
      "p50 ms",
      "p99 ms",
      "× baseline",
      "× bare",
      "× page baseline",
      "server CPU µs/req",
      "auth check µs",
      "store reads",
      "× server-session",
      "store queries / 1k req",
      "store CPU µs/req",
      "req/s by round",
    ]),
    row(Array(15).fill("---")),
  );
  for (const route of result.routes) {
    lines.push(
      row([
        route.name,
        `\`${route.path}\``,
        route.requests_per_sec,
        route.p50_ms,
        route.p99_ms,
        fixed(route.ratio_to_baseline, 2),
        fixed(route.ratio_to_bare, 2),
        route.ratio_to_page_baseline === undefined ? "" : fixed(route.ratio_to_page_baseline, 2),
        route.server_cpu_us_per_request == null ? "" : Math.round(route.server_cpu_us_per_request),
        route.auth_check_p50_us == null ? "" : fixed(route.auth_check_p50_us, 1),
        route.store_reads_per_request ?? "",
        route.ratio_to_server_session === undefined ? "" : fixed(route.ratio_to_server_session, 2),
        route.store_queries_per_1000_requests == null ? "" : Math.round(route.store_queries_per_1000_requests),
        route.store_cpu_us_per_request == null ? "" : Math.round(route.store_cpu_us_per_request),
        route.rounds_requests_per_sec.map((value) => Math.round(value)).join(", "),
      ]),
    );
  }
  const { storm } = result;
  lines.push(
    "",
    "Each × is the median over rounds of the route's requests per second over its reference's in the same " +
      "round: baseline is `/api/health` (this app's `route()` and no credential), baseline-cookie the same " +
      "request with a session cookie that nothing reads (what Next.js spends on a request that carries a " +
      "cookie, paid by every cookie route before its check), bare is `/api/health/bare` " +
      "(the same answer with none of this app's code around it), page baseline is `/performance/page-baseline` " +
      "(the account page rendered from a sample, with no credential). Server CPU is the CPU time the " +
      "process that answered (the app, or the resource server for its routes) spent per request, read " +
      "from the kernel over the route's rounds; auth check is the median time the answers reported for " +
      "their check in `Server-Timing` (`auth;dur=`), queueing under load included. A route's CPU over the " +
      "baseline's, set against its check, shows what the route costs besides the check. The `lab-` routes " +
      "are the strategies lab's check routes (`docs/strategies.md`): store reads is what the server counted " +
      "for one request, and a design that reads the store by design is weighed against the lab's server " +
      "session (× server-session), the design it is one change to. Store queries are the reads and writes the " +
      "app sent its store during the route's load, per 1,000 answered requests (counted at its database " +
      "seam); store CPU is a PostgreSQL on the bench's machine: the CPU time of every `postgres` process " +
      "over the route's rounds, per request (empty on SQLite, which works in the app's own process). " +
      "`/performance` projects store cores from it.",
    "",
    `Storm: \`/api/me\` p99 ${storm.idle_p99_ms} ms alone, ${storm.storm_p99_ms} ms during ${storm.signins} ` +
      `sign-ins (${storm.signin_p50_ms} ms each at the median, ${storm.signin_failures} failed).`,
  );
  const flood = result.registration_flood;
  if (flood) {
    lines.push(
      `Registration flood (${flood.flood_clients} clients registering back to back): sign-in p50/p99 ` +
        `${flood.alone_signin_p50_ms}/${flood.alone_signin_p99_ms} ms alone, ` +
        `${flood.flood_signin_p50_ms}/${flood.flood_signin_p99_ms} ms during it; registrations ` +
        `${flood.registrations_accepted} accepted, ${flood.registrations_refused_busy} refused as busy (503).`,
    );
  }
  lines.push(
    `Targets: ${result.targets.map((target) => `${target.name} ${target.goal} ${target.met ? "✓" : "✗"} (${target.value})`).join("; ")}.`,
    "",
    row(["primitive", "µs/op", "p50 µs", "p99 µs"]),
    row(["---", "---", "---", "---"]),
    ...result.primitives.map((primitive) =>
      row([primitive.name, primitive.us_per_op, primitive.p50_us, primitive.p99_us]),
    ),
  );
  const baseline = routeByName(result, "baseline");
  const checks = ["session-check", "jwt-verify-cached"]
    .map((id) => primitiveById(result, id)?.us_per_op)
    .filter((value): value is number => value !== undefined);
  lines.push(
    "",
    `From the same result: the server finishes a baseline request every ` +
      `${fixed(1000 / baseline.requests_per_sec, 2)} ms` +
      (checks.length === 2
        ? `; a session check costs ${checks[0]} µs and a cached token verify ${checks[1]} µs of that`
        : "") +
      `; the same route's rounds stray up to ±${roundSpreadPercent(result)}% from their mean.`,
  );
  return lines.join("\n");
}

// The document with the block of this result's database replaced by its report.
export function withReport(document: string, result: BenchResult): string {
  const { begin, end } = markers(result.settings.database);
  const start = document.indexOf(begin);
  const stop = document.indexOf(end);
  if (start === -1 || stop < start) throw new Error(`${REPORT_FILE} has no ${begin} … ${end} block`);
  return `${document.slice(0, start + begin.length)}\n${renderReport(result)}\n${document.slice(stop)}`;
}

export function writeReport(result: BenchResult, file = REPORT_FILE): void {
  writeFileSync(file, withReport(readFileSync(file, "utf8"), result));
}
