// The store's own work per route under the bench's load, and the store
// cores that work would need at 10k and 100k requests per second: a
// projection from measured inputs, labelled as one, beside its inputs.
import type { RouteResult } from "@/lib/showcase/bench-results";
import { PROJECTED_RATES, storeCores } from "@/lib/showcase/store-projection";
import { formatWholeMicros } from "./format";
import { ScrollTable } from "./ScrollTable";

const cores = (value: number | null) => (value === null ? "—" : value < 10 ? value.toFixed(2) : value.toFixed(0));

export function StoreWork({ routes, testId }: { routes: RouteResult[]; testId: string }) {
  return (
    <ScrollTable
      label="The store's work per route"
      testId={testId}
      caption={
        <>
          Measured: reads and writes sent to the store per 1,000 requests, and the store&apos;s CPU per request.
          Projected: store cores at each rate (CPU per request × rate)
        </>
      }
      columns={[
        "route",
        "queries / 1k",
        "store CPU / request",
        ...PROJECTED_RATES.map((rate) => `cores at ${rate / 1000}k req/s`),
      ]}
    >
      {routes.map((route) => (
        <tr key={route.name} data-route={route.name} className="border-t border-zinc-200 dark:border-zinc-800">
          <th scope="row" className="py-1 pr-3 font-normal">
            {route.name}
          </th>
          <td className="py-1 pr-3" data-testid="store-queries">
            {route.store_queries_per_1000_requests == null
              ? "—"
              : Math.round(route.store_queries_per_1000_requests).toLocaleString("en")}
          </td>
          <td className="py-1 pr-3" data-testid="store-cpu">
            {formatWholeMicros(route.store_cpu_us_per_request)}
          </td>
          {PROJECTED_RATES.map((rate) => (
            <td key={rate} className="py-1 pr-3" data-testid={`store-cores-${rate}`}>
              {cores(storeCores(route, rate))}
            </td>
          ))}
        </tr>
      ))}
    </ScrollTable>
  );
}
