import { route } from "@/lib/http";
import { storeQueriesResponse } from "@/lib/query-count";

// The process's query totals, for the bench (404 unless STORE_QUERY_COUNTS=on).
export const GET = route(async () => storeQueriesResponse());
