// The one seam for fault injection: lib/db.ts asks it before every query
// whether to refuse, as an unreachable database would. The auth core never
// sets it; the dashboard's simulated outage (lib/showcase/simulated-outage.ts)
// does, from the server entry. Shared by every bundle of the process.
import { processState } from "@/lib/process-state";

const gate = processState<{ refuses: () => boolean }>("database-gate", () => ({ refuses: () => false }));

export function setDatabaseGate(refuses: () => boolean): void {
  gate.refuses = refuses;
}

export function databaseGateRefuses(): boolean {
  return gate.refuses();
}
