// The benchmark's numbers as Markdown, written into the documentation
// between two markers by `npm run bench` (and `npm run bench:report`), so no
// number in the docs is typed by hand. bench/report.test.ts fails when the
// docs and bench/results/latest.json disagree.
import { readFileSync, writeFileSync } from "node:fs";
import { primitiveById, routeByName, type BenchResult } from "@/lib/showcase/bench-results";

export const REPORT_FILE = "docs/performance.md";
export const BEGIN = "<!-- bench:report: written by `npm run bench` from bench/results/latest.json; do not edit -->";
export const END = "<!-- /bench:report -->";

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
    row(["route", "path", "req/s", "p50 ms", "p99 ms", "× baseline (median of rounds)", "req/s by round"]),
    row(["---", "---", "---", "---", "---", "---", "---"]),
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
        route.rounds_requests_per_sec.map((value) => Math.round(value)).join(", "),
      ]),
    );
  }
  const { storm } = result;
  lines.push(
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

// The document with its marked block replaced by this result's report.
export function withReport(document: string, result: BenchResult): string {
  const start = document.indexOf(BEGIN);
  const end = document.indexOf(END);
  if (start === -1 || end < start) throw new Error(`${REPORT_FILE} has no ${BEGIN} … ${END} block`);
  return `${document.slice(0, start + BEGIN.length)}\n${renderReport(result)}\n${document.slice(end)}`;
}

export function writeReport(result: BenchResult, file = REPORT_FILE): void {
  writeFileSync(file, withReport(readFileSync(file, "utf8"), result));
}
