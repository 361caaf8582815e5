import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { BEGIN, END, renderReport, REPORT_FILE, roundSpreadPercent, withReport } from "@/bench/report";
import { readBenchResults, type BenchResult } from "@/lib/showcase/bench-results";

function committedResult(): BenchResult {
  const read = readBenchResults("bench/results/latest.json");
  if (read.status !== "ok") throw new Error(`bench/results/latest.json is ${read.status}`);
  return read.result;
}

describe("the benchmark numbers in the docs", () => {
  it(`are the committed result's, as npm run bench wrote them into ${REPORT_FILE}`, () => {
    const document = readFileSync(REPORT_FILE, "utf8");
    // A number typed over the block, or a result committed without its block, fails here.
    expect(document).toBe(withReport(document, committedResult()));
  });

  it("show every route, primitive and target of the result, with the ratio the result holds", () => {
    const result = committedResult();
    const report = renderReport(result);
    for (const route of result.routes)
      expect(report).toContain(`| ${route.name} | \`${route.path}\` | ${route.requests_per_sec} |`);
    for (const primitive of result.primitives)
      expect(report).toContain(`| ${primitive.name} | ${primitive.us_per_op} |`);
    for (const target of result.targets)
      expect(report).toContain(`${target.name} ${target.goal} ${target.met ? "✓" : "✗"} (${target.value})`);
  });

  it("measure the spread between rounds from the rounds themselves", () => {
    const result = committedResult();
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

  it("replace only what is between the markers", () => {
    const document = `before\n${BEGIN}\nold numbers\n${END}\nafter\n`;
    const written = withReport(document, committedResult());
    expect(written.startsWith(`before\n${BEGIN}\n`)).toBe(true);
    expect(written.endsWith(`\n${END}\nafter\n`)).toBe(true);
    expect(written).not.toContain("old numbers");
    expect(() => withReport("no markers", committedResult())).toThrow(/has no/);
  });
});
