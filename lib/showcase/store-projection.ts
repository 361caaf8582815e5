// How many cores of the store a route would keep busy at a given rate: the
// store's CPU time per request, as `npm run bench` measured it on a
// PostgreSQL of its own, times the rate. A projection, not a measurement:
// it assumes each request costs the store at that rate what it cost at the
// bench's (no lock contention, the same cache hits, the same batching of
// reads that arrive together), and counts CPU only, not I/O or memory.
import type { RouteResult } from "@/lib/showcase/bench-results";

export const PROJECTED_RATES = [10_000, 100_000] as const;

// Null where the store's CPU was not measured (SQLite works inside the
// app's own process; a PostgreSQL elsewhere cannot be read).
export function storeCores(route: RouteResult, requestsPerSecond: number): number | null {
  const us = route.store_cpu_us_per_request;
  return us == null ? null : (us * requestsPerSecond) / 1_000_000;
}
