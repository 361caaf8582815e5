import { describe, expect, it } from "vitest";
import { authCheckMs, ratioToBaseline, summarize, type LoadRun } from "@/bench/load";

const run = (ok: number, seconds = 4, more: Partial<LoadRun> = {}): LoadRun => ({
  latencies: [],
  ok,
  non2xx: 0,
  errors: 0,
  timeouts: 0,
  seconds,
  cpuMs: null,
  authMs: [],
  storeCpuMs: null,
  storeQueries: null,
  ...more,
});

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

describe("what a route costs the server", () => {
  it("reads the auth check's time from Server-Timing, wherever the entry is", () => {
    expect(authCheckMs('auth;desc="session, seen before";dur=0.182')).toBe(0.182);
    expect(authCheckMs('db;dur=3, auth;desc="jwt, first sight";dur=1.5')).toBe(1.5);
    expect(authCheckMs("auth;dur=2")).toBe(2);
    expect(authCheckMs('authz;desc="x";dur=9')).toBeNull();
    expect(authCheckMs(undefined)).toBeNull();
  });

  it("gives CPU per answered request over every round, and the median check", () => {
    const summary = summarize([
      run(1000, 4, { cpuMs: 800, authMs: [0.1, 0.3] }),
      run(1000, 4, { cpuMs: 1200, authMs: [0.2] }),
    ]);
    expect(summary.server_cpu_us_per_request).toBe(1000);
    expect(summary.auth_check_p50_us).toBe(200);
    expect(summarize([run(1000), run(1000, 4, { cpuMs: 5 })]).server_cpu_us_per_request).toBeNull();
    expect(summarize([run(1000)]).auth_check_p50_us).toBeNull();
  });

  it("gives the store's queries per 1,000 requests and its CPU per request, unknown if any round could not read them", () => {
    const summary = summarize([
      run(1000, 4, { storeQueries: 1000, storeCpuMs: 30 }),
      run(3000, 4, { storeQueries: 2000, storeCpuMs: 50 }),
    ]);
    expect(summary.store_queries_per_1000_requests).toBe(750);
    expect(summary.store_cpu_us_per_request).toBe(20);
    expect(summarize([run(1000, 4, { storeQueries: 5 }), run(1000)]).store_queries_per_1000_requests).toBeNull();
    expect(summarize([run(1000)]).store_cpu_us_per_request).toBeNull();
  });
});
