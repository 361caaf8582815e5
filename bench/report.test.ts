import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  committedResultsFile,
  markers,
  renderReport,
  REPORT_FILE,
  roundSpreadPercent,
  withReport,
} from "@/bench/report";
import { benchResultsFile, readBenchResults, type BenchResult, type Database } from "@/lib/showcase/bench-results";

function committedResult(database: Database): BenchResult {
  const file = committedResultsFile(database);
  const read = readBenchResults(database, file);
  if (read.status !== "ok") throw new Error(`${file} is ${read.status}`);
  return read.result;
}

describe.each(["sqlite", "postgres"] as const)("the benchmark numbers in the docs (%s)", (database) => {
  it(`are the committed result's, as npm run bench wrote them into ${REPORT_FILE}`, () => {
    const result = committedResult(database);
    expect(result.settings.database).toBe(database);
    const document = readFileSync(REPORT_FILE, "utf8");
    // A number typed over the block, or a result committed without its block, fails here.
    expect(document).toBe(withReport(document, result));
  });

  it("show every route, primitive and target of the result, with the ratios the result holds", () => {
    const result = committedResult(database);
    const report = renderReport(result);
    for (const route of result.routes)
      expect(report).toContain(
        `| ${route.name} | \`${route.path}\` | ${route.requests_per_sec} | ${route.p50_ms} | ${route.p99_ms} | ` +
          `${route.ratio_to_baseline.toFixed(2)} | ${route.ratio_to_bare.toFixed(2)} | ` +
          `${route.ratio_to_page_baseline?.toFixed(2) ?? ""} |`,
      );
    for (const primitive of result.primitives)
      expect(report).toContain(`| ${primitive.name} | ${primitive.us_per_op} |`);
    for (const target of result.targets)
      expect(report).toContain(`${target.name} ${target.goal} ${target.met ? "✓" : "✗"} (${target.value})`);
  });
});

describe("the benchmark report", () => {
  it("reads each database's result from its own file, the PostgreSQL one beside the SQLite one", () => {
    expect(committedResultsFile("sqlite")).toBe("bench/results/latest.json");
    expect(committedResultsFile("postgres")).toBe("bench/results/latest-postgres.json");
    expect(benchResultsFile("postgres", "/srv/bench/run.json")).toBe("/srv/bench/run-postgres.json");
    expect(benchResultsFile("sqlite", "/srv/bench/run.json")).toBe("/srv/bench/run.json");
  });

  it("refuses a file that holds another database's run, so no number shows under the wrong name", () => {
    expect(readBenchResults("postgres", committedResultsFile("sqlite"))).toMatchObject({
      status: "invalid",
      message: "it holds a run on sqlite, not postgres",
    });
  });

  it("measures the spread between rounds from the rounds themselves", () => {
    const result = committedResult("sqlite");
    const flat = {
      ...result,
      routes: result.routes.map((route) => ({ ...route, rounds_requests_per_sec: [100, 100, 100] })),
    };
    expect(roundSpreadPercent(flat)).toBe(0);
    const uneven = {
      ...flat,
      routes: [{ ...flat.routes[0]!, rounds_requests_per_sec: [80, 100, 120] }, ...flat.routes.slice(1)],
    };
    expect(roundSpreadPercent(uneven)).toBe(20);
  });

  it("replaces only the block of the result's own database", () => {
    const sqlite = markers("sqlite");
    const postgres = markers("postgres");
    const document = `before\n${sqlite.begin}\nold sqlite\n${sqlite.end}\nmiddle\n${postgres.begin}\nold postgres\n${postgres.end}\nafter\n`;
    const written = withReport(document, committedResult("postgres"));
    expect(written).toContain(`before\n${sqlite.begin}\nold sqlite\n${sqlite.end}\nmiddle\n${postgres.begin}\n`);
    expect(written.endsWith(`\n${postgres.end}\nafter\n`)).toBe(true);
    expect(written).not.toContain("old postgres");
    expect(() => withReport("no markers", committedResult("sqlite"))).toThrow(/has no/);
  });
});
