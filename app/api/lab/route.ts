import { listStrategies } from "@/lib/showcase/lab";
import { route } from "@/lib/http";

// The strategies the lab compares (docs/strategies.md).
export const GET = route(async () =>
  Response.json({ strategies: listStrategies() }, { headers: { "Cache-Control": "no-store" } }),
);
