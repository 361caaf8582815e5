// The store-cores projection checked against `npm run cluster`: what the
// store's CPU per request was through nginx with 1 and 2 instances, beside
// the bench's own measurement, which the projection multiplies.
import type { ClusterCheck } from "@/lib/showcase/cluster-check";
import { formatWholeMicros } from "./format";

export function ClusterCheckTable({ check }: { check: ClusterCheck }) {
  const instances = [...new Set(check.runs.map((run) => run.instances))].sort((a, b) => a - b);
  return (
    <div tabIndex={0} role="region" aria-label="The projection checked" className="overflow-x-auto">
      <table data-testid="cluster-check" className="w-full text-left text-[13px] tabular-nums">
        <caption className="pb-2 text-left text-sm font-medium">
          PostgreSQL&apos;s CPU per request: the bench (one process, no proxy), and <code>npm run cluster</code> through
          nginx ({check.connections} connections, {check.duration_s} s per route, {new Date(check.at).toUTCString()})
        </caption>
        <thead className="text-zinc-600 dark:text-zinc-400">
          <tr>
            <th scope="col" className="py-1 pr-3 font-medium">
              route
            </th>
            <th scope="col" className="py-1 pr-3 font-medium">
              bench
            </th>
            {instances.map((count) => (
              <th key={count} scope="col" className="py-1 pr-3 font-medium">
                {count} instance{count === 1 ? "" : "s"}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
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
        </tbody>
      </table>
    </div>
  );
}
