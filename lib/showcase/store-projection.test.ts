import { describe, expect, it } from "vitest";
import type { RouteResult } from "@/lib/showcase/bench-results";
import { storeCores } from "@/lib/showcase/store-projection";

const route = (store_cpu_us_per_request: number | null | undefined) =>
  ({ name: "lab-server-session", store_cpu_us_per_request }) as RouteResult;

describe("store cores projected from the store's CPU per request", () => {
  it("is the CPU per request times the rate, in cores", () => {
    expect(storeCores(route(85), 10_000)).toBeCloseTo(0.85, 10);
    expect(storeCores(route(85), 100_000)).toBeCloseTo(8.5, 10);
    expect(storeCores(route(0), 100_000)).toBe(0);
  });

  it("is unknown where the store's CPU was not measured", () => {
    expect(storeCores(route(null), 10_000)).toBeNull();
    expect(storeCores(route(undefined), 10_000)).toBeNull();
  });
});
