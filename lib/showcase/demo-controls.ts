// Server-wide switches the dashboard offers (denylist mode, key rotation)
// and the scenarios that run on this server for a visitor. Off unless
// DEMO_CONTROLS=on (npm run demo, dev and cluster turn it on on 127.0.0.1
// and say so): on a shared deployment no visitor may turn revocation off
// for everyone or rotate keys in a loop. When on, each visitor (session or
// token family: the demo account is one user for every visitor) may flip a
// switch ten times at once, then once every 6 s, and their address thirty
// times, then once every 2 s (counted in the database, so every instance
// agrees).
import { config } from "@/lib/config";
import { DEMO_CONTROLS_OFF, throttledError, type AppError, type Result } from "@/lib/errors";
import { addressBucket } from "@/lib/auth/client-networks";
import { takeRates, type RateKey } from "@/lib/auth/rate-limit";
import { isScenarioAccount, SCENARIO_ACCOUNT_REFUSED } from "@/lib/showcase/demo";

// What turning them on exposes when others can connect (HOST not loopback):
// printed by the server at start.
export function exposedDemoControlsWarning(host: string | null, port: number): string {
  return [
    `⚠ Demo controls are on and this server listens on ${host ?? "every interface"} (port ${port}), where other machines can reach it.`,
    "  Anyone who can connect may switch denylist mode for everyone, rotate the signing keys, and, signed in as",
    "  the public demo account, change its password and sign every visitor of it out. Only for a demo you watch.",
  ].join("\n");
}

// Who flips a switch: their account, their session or token family
// (`session:<id>`, `family:<id>`), and their address.
export type SwitchCaller = { user: { email: string }; key: string; ip: string | null };

export async function useServerSwitch(caller: SwitchCaller): Promise<Result<null>> {
  if (!config().demoControls) return { ok: false, error: DEMO_CONTROLS_OFF };
  if (isScenarioAccount(caller.user.email)) return { ok: false, error: SCENARIO_ACCOUNT_REFUSED };
  const { switchCaller, switchIp } = config().throttle;
  const keys: RateKey[] = [{ scope: "caller", key: `switch:${caller.key}`, policy: switchCaller }];
  if (caller.ip) keys.push({ scope: "ip", key: `switch:${addressBucket(caller.ip)}`, policy: switchIp });
  const decision = await takeRates(keys);
  if (decision.throttled)
    return { ok: false, error: throttledError("Server-wide switches flipped too often.", decision.retryAfterSeconds) };
  return { ok: true, value: null };
}

// One run at a time per caller (session or token family, not the user:
// the shared demo account is one user for every visitor), and a few at once
// per user and per client address, so that nobody can run many at once by
// signing in many times. Per process: with several instances a caller could
// run one per instance, still bounded by their number.
const running = new Set<string>();
const runsBy = new Map<string, number>();

export const SCENARIO_RUNNING: AppError = {
  code: "conflict",
  description: "One of your scenarios is still running; wait for it to finish.",
};

export type ScenarioRunner = { key: string; user: { id: string }; ip: string | null };

export async function runOneAtATime<T>(caller: ScenarioRunner, run: () => Promise<Result<T>>): Promise<Result<T>> {
  if (running.has(caller.key)) return { ok: false, error: SCENARIO_RUNNING };
  const { perUser, perAddress } = config().scenarioRuns;
  const limits: [string, number][] = [[`user:${caller.user.id}`, perUser]];
  if (caller.ip) limits.push([`ip:${addressBucket(caller.ip)}`, perAddress]);
  if (limits.some(([key, limit]) => (runsBy.get(key) ?? 0) >= limit)) {
    return {
      ok: false,
      error: throttledError("Too many experiments are running for your account or address; wait for one to end.", 5),
    };
  }
  running.add(caller.key);
  for (const [key] of limits) runsBy.set(key, (runsBy.get(key) ?? 0) + 1);
  try {
    return await run();
  } finally {
    running.delete(caller.key);
    for (const [key] of limits) {
      const left = runsBy.get(key)! - 1;
      if (left === 0) runsBy.delete(key);
      else runsBy.set(key, left);
    }
  }
}
