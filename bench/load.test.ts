import { describe, expect, it } from "vitest";
import { ratioToBaseline, type LoadRun } from "@/bench/load";

const run = (ok: number, seconds = 4): LoadRun => ({ latencies: [], ok, non2xx: 0, errors: 0, timeouts: 0, seconds });

describe("ratio to baseline", () => {
  it("compares each round with the baseline of the same round, not totals", () => {
    // Round 2 was slow for everything: by totals the route would look faster than it is.
    const baseline = [run(400), run(100), run(400)];
    const route = [run(360), run(100), run(360)];
    expect(ratioToBaseline(route, baseline)).toBeCloseTo(0.9, 5);
  });

  it("takes the median over rounds, so one disturbed round does not move it", () => {
    const baseline = [run(400), run(400), run(400), run(400), run(400)];
    const route = [run(400), run(400), run(40), run(400), run(400)];
    expect(ratioToBaseline(route, baseline)).toBe(1);
  });
});
