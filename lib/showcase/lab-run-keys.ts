// A lab run signs its account in with every strategy over HTTP, as any
// client would, so that what each sign-in hands out (cookies and their
// attributes, or a token) is measured as sent. The password was checked
// once when the run began; each of the run's sign-ins carries a one-time
// key instead, armed for that account for the run's duration, so the run
// pays no more bcrypt and its sign-ins are not charged to the throttle of
// the loopback network it sends them from (where a neighbour could use
// them up). Like the simulated outage's keys: random, in process state,
// never given to a client.
import { randomBytes } from "node:crypto";
import { processState } from "@/lib/process-state";
import type { VerifiedUser } from "@/lib/auth/signin";

export const LAB_RUN_HEADER = "x-svj-lab-run";
const ARMED_FOR_MS = 15 * 60_000;
const state = processState("lab-run-keys", () => new Map<string, { user: VerifiedUser; until: number }>());

export function armRunSignIn(user: VerifiedUser, now = Date.now()): string {
  for (const [key, { until }] of state) if (until < now) state.delete(key);
  const key = randomBytes(32).toString("base64url");
  state.set(key, { user, until: now + ARMED_FOR_MS });
  return key;
}

export function disarmRunSignIn(key: string): void {
  state.delete(key);
}

// The account a run's key stands for, or null.
export function runSignInUser(key: string | null, now = Date.now()): VerifiedUser | null {
  const armed = key === null ? undefined : state.get(key);
  return armed && armed.until > now ? armed.user : null;
}
