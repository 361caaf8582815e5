// The store-cores projection checked against `npm run cluster`: what the
// store's CPU per request was through nginx with 1 and 2 instances, beside
// the bench's own measurement, which the projection multiplies.
import type { ClusterCheck } from "@/lib/showcase/cluster-check";
import { formatWholeMicros } from "./format";
import { ScrollTable } from "./ScrollTable";

export function ClusterCheckTable({ check }: { check: ClusterCheck }) {
  const instances = [...new Set(check.runs.map((run) => run.instances))].sort((a, b) => a - b);
  return (
    <ScrollTable
      label="The projection checked"
      testId="cluster-check"
      caption={
        <>
          PostgreSQL&apos;s CPU per request: the bench (one process, no proxy), and <code>npm run cluster</code> through
          nginx ({check.connections} connections, {check.duration_s} s per route, {new Date(check.at).toUTCString()})
        </>
      }
      columns={["route", "bench", ...instances.map((count) => `${count} instance${count === 1 ? "" : "s"}`)]}
    >
      {check.projected.map((projected) => (
        <tr key={projected.route} className="border-t border-zinc-200 dark:border-zinc-800">
          <th scope="row" className="py-1 pr-3 font-normal">
            {projected.route}
          </th>
          <td className="py-1 pr-3">{formatWholeMicros(projected.store_cpu_us_per_request)}</td>
          {instances.map((count) => {
            const run = check.runs.find((r) => r.route === projected.route && r.instances === count);
            return (
              <td key={count} className="py-1 pr-3">
                {run
                  ? `${formatWholeMicros(run.store_cpu_us_per_request)} (${Math.round(run.requests_per_sec)} req/s)`
                  : "—"}
              </td>
            );
          })}
        </tr>
      ))}
    </ScrollTable>
  );
}
