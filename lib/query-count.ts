// Counts the queries a piece of work sends to the database, as the database
// seam (lib/db.ts) sees them: every query, through Prisma or the driver,
// is noted here before it is sent. The strategies lab reports a check's
// store reads from this count, not from what a handler says it did.
// The counter lives in process state: the routes and the seam may be in
// different bundles.
import { AsyncLocalStorage } from "node:async_hooks";
import { config } from "@/lib/config";
import { errorResponse } from "@/lib/errors";
import { processState } from "@/lib/process-state";

export type QueryCount = { reads: number; writes: number };

const scope = processState("query-count", () => ({ counts: new AsyncLocalStorage<QueryCount>(), active: 0 }));
// Every query since the process started: two additions a query, so the
// bench can count a route's store work under load (GET /api/store-queries).
const totals = processState("query-totals", (): QueryCount => ({ reads: 0, writes: 0 }));

// Prisma's operation names that only read.
const READ_OPERATIONS = new Set([
  "findUnique",
  "findUniqueOrThrow",
  "findFirst",
  "findFirstOrThrow",
  "findMany",
  "count",
  "aggregate",
  "groupBy",
  "$queryRaw",
  "$queryRawUnsafe",
]);

export function isReadOperation(operation: string): boolean {
  return READ_OPERATIONS.has(operation);
}

// Called by the seam for every query; outside countQueries only the totals count it.
export function noteQuery(kind: keyof QueryCount): void {
  totals[kind]++;
  const counts = scope.counts.getStore();
  if (counts) counts[kind]++;
}

// Runs `work` and counts the queries it (and everything it awaits) sends.
// Awaited inside the scope: a Prisma query is sent only when awaited, so a
// query returned unawaited would otherwise be sent outside it.
//
// On Node 20 an AsyncLocalStorage, once it has run, costs every promise of
// every request from then on (it is copied into each new async resource:
// ~15 µs per 200 awaits measured here, tens of µs a request). So it is
// switched off whenever no count is going on, and the routes that are not
// the lab's pay nothing for it.
export async function countQueries<T>(work: () => Promise<T>): Promise<{ value: T; queries: QueryCount }> {
  const queries: QueryCount = { reads: 0, writes: 0 };
  scope.active++;
  try {
    const value = await scope.counts.run(queries, async () => await work());
    return { value, queries };
  } finally {
    if (--scope.active === 0) scope.counts.disable();
  }
}

// Whether a count is switched on (for the tests of the switching).
export function isCounting(): boolean {
  return scope.active > 0;
}

export function queryTotals(): QueryCount {
  return { ...totals };
}

// GET /api/store-queries: the totals, for `npm run bench`, which divides
// the difference over a route's load by its requests. Only with
// STORE_QUERY_COUNTS=on (the bench's server): elsewhere 404, since how many
// queries a server has sent says how busy it is.
export function storeQueriesResponse(): Response {
  if (!config().storeQueryCounts)
    return errorResponse({ code: "not_found", description: "Store query counts are not served here." });
  return Response.json(queryTotals(), { headers: { "Cache-Control": "no-store" } });
}
