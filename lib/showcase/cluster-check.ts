// The check of /performance's store-cores projection against `npm run
// cluster` (bench/cluster-check.ts): PostgreSQL's CPU per request for a few
// of the lab's check routes through nginx with 1 and 2 instances, beside
// what `npm run bench` measured with one process and no proxy.
import { readFileSync } from "node:fs";
import { z } from "zod";

export const CLUSTER_CHECK_FILE = "bench/results/cluster-check.json";

const micros = z.number().nonnegative().nullable();

export const ClusterCheck = z.object({
  at: z.string(),
  // The `npm run bench` run on PostgreSQL it was checked against.
  bench_at: z.string(),
  connections: z.number().int().positive(),
  duration_s: z.number().positive(),
  runs: z.array(
    z.object({
      instances: z.number().int().positive(),
      route: z.string(),
      requests_per_sec: z.number().nonnegative(),
      store_cpu_us_per_request: micros,
    }),
  ),
  projected: z.array(z.object({ route: z.string(), store_cpu_us_per_request: micros })),
});
export type ClusterCheck = z.infer<typeof ClusterCheck>;

// Null when there is none, or it is not of this shape.
export function readClusterCheck(file = CLUSTER_CHECK_FILE): ClusterCheck | null {
  try {
    const parsed = ClusterCheck.safeParse(JSON.parse(readFileSync(/*turbopackIgnore: true*/ file, "utf8")));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
