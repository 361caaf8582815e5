// Simulated database outage for the dashboard's "database unavailable"
// scenario: only requests carrying a one-time key that the scenario runner
// armed see the database as down, so real data and other visitors are never
// affected. The server entry scopes each request (withSimulatedOutage) and
// installs the gate lib/db.ts asks before every query; a real outage takes
// the same path out (DatabaseUnavailable, 503). The armed keys and the
// request scope live in process state: the server entry and the app's
// bundles each load this module.
import { AsyncLocalStorage } from "node:async_hooks";
import { randomBytes } from "node:crypto";
import { setDatabaseGate } from "@/lib/database-gate";
import { processState } from "@/lib/process-state";

export const OUTAGE_HEADER = "x-svj-simulated-outage";
const ARMED_FOR_MS = 30_000;
const state = processState("simulated-outage", () => ({
  armed: new Map<string, number>(),
  outage: new AsyncLocalStorage<true>(),
  inFlight: 0,
}));

export function armDatabaseOutage(now = Date.now()): string {
  for (const [key, until] of state.armed) if (until < now) state.armed.delete(key);
  const key = randomBytes(32).toString("base64url");
  state.armed.set(key, now + ARMED_FOR_MS);
  return key;
}

export function disarmDatabaseOutage(key: string): void {
  state.armed.delete(key);
}

function outageRequested(key: string | string[] | undefined, now = Date.now()): boolean {
  return typeof key === "string" && (state.armed.get(key) ?? 0) > now;
}

// Runs one request, inside the outage when it carries an armed key. `run`
// gets the function to call when the request is over (its response
// closed): the scope is switched off once no outage request is in flight,
// because on Node 20 an AsyncLocalStorage that has run costs every promise
// of every later request (lib/query-count.ts measured it).
export function withSimulatedOutage<T>(key: string | string[] | undefined, run: (end: () => void) => T): T {
  if (!outageRequested(key)) return run(() => {});
  state.inFlight++;
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    if (--state.inFlight === 0) state.outage.disable();
  };
  return state.outage.run(true, () => run(end));
}

// Whether the outage scope is switched on (for the tests of the switching).
export function isOutageScopeOn(): boolean {
  return state.inFlight > 0;
}

export function installSimulatedOutage(): void {
  setDatabaseGate(() => state.outage.getStore() === true);
}
