// Server-wide switches the dashboard offers (denylist mode, key rotation)
// and the scenarios that run on this server for a visitor. Off unless
// DEMO_CONTROLS=on (npm run demo, dev and cluster turn it on and say so):
// on a shared deployment no visitor may turn revocation off for everyone or
// rotate keys in a loop. When on, each user may flip a switch ten times,
// then waits a growing while (counted in the database, so every instance
// agrees), and runs one scenario at a time.
import { config, type ThrottlePolicy } from "@/lib/config";
import { DEMO_CONTROLS_OFF, throttledError, type AppError, type Result } from "@/lib/errors";
import { reserveAttempt } from "@/lib/auth/throttle";
import { isScenarioAccount, SCENARIO_ACCOUNT_REFUSED } from "@/lib/showcase/demo";

const SWITCH_POLICY: ThrottlePolicy = {
  freeFailures: 10,
  baseDelayMs: 1000,
  maxDelayMs: 60_000,
  forgetAfterMs: 10 * 60_000,
};

// What turning them on exposes when others can connect (HOST not loopback):
// printed by the server at start.
export function exposedDemoControlsWarning(host: string | null, port: number): string {
  return [
    `⚠ Demo controls are on and this server listens on ${host ?? "every interface"} (port ${port}), where other machines can reach it.`,
    "  Anyone who can connect may switch denylist mode for everyone, rotate the signing keys, and, signed in as",
    "  the public demo account, change its password and sign every visitor of it out. Only for a demo you watch.",
  ].join("\n");
}

export async function useServerSwitch(user: { id: string; email: string }): Promise<Result<null>> {
  if (!config().demoControls) return { ok: false, error: DEMO_CONTROLS_OFF };
  if (isScenarioAccount(user.email)) return { ok: false, error: SCENARIO_ACCOUNT_REFUSED };
  const decision = await reserveAttempt([{ scope: "account", key: `switch:${user.id}`, policy: SWITCH_POLICY }]);
  if (decision.throttled)
    return { ok: false, error: throttledError("Server-wide switches flipped too often.", decision.retryAfterSeconds) };
  return { ok: true, value: null };
}

// Keyed by the caller's session or token family, not the user: the shared
// demo account is one user for every visitor. Per process: with several
// instances a caller could run one per instance, still bounded by their number.
const running = new Set<string>();

export const SCENARIO_RUNNING: AppError = {
  code: "conflict",
  description: "One of your scenarios is still running; wait for it to finish.",
};

export async function runOneAtATime<T>(caller: string, run: () => Promise<Result<T>>): Promise<Result<T>> {
  if (running.has(caller)) return { ok: false, error: SCENARIO_RUNNING };
  running.add(caller);
  try {
    return await run();
  } finally {
    running.delete(caller);
  }
}
