// The demo account seeded by `npm run db:seed` / `npm run demo`. Its password
// is public on purpose: it is shown on the sign-in and register pages, so
// every visitor of a deployment shares the account. Each visitor therefore
// sees only their own session of it (other visitors' addresses and devices
// are theirs), and where the dashboard's demo controls are off (any shared
// server) nobody may change its password or sign every visitor out.
import { config } from "@/lib/config";
import { listEndedTokenDevices, listUserDevices, type CurrentDevice } from "@/lib/auth/devices";
import { db } from "@/lib/db";
import type { AppError } from "@/lib/errors";
import { whenUnavailable } from "@/lib/database-errors";

export const DEMO_USER = { email: "demo@example.com", password: "demo-password" } as const;

// The throwaway accounts experiments make (sign out everywhere, several
// tabs), under a domain no registration can use (lib/auth/accounts.ts).
export const SCENARIO_EMAIL_DOMAIN = "@scenario.invalid";

export function isScenarioAccount(email: string): boolean {
  return email.endsWith(SCENARIO_EMAIL_DOMAIN);
}

// What such an account may not do: start experiments or flip server-wide
// switches (each new account would be a fresh allowance).
export const SCENARIO_ACCOUNT_REFUSED: AppError = {
  code: "forbidden",
  description: "An experiment's throwaway account cannot run experiments or flip server-wide switches.",
};

export function isDemoAccount(email: string): boolean {
  return email === DEMO_USER.email;
}

const SHARED_DEMO_ACCOUNT: AppError = {
  code: "forbidden",
  description:
    "The demo account is shared by every visitor of this server, so it cannot change its password or sign everyone out here. Register an account of your own to try that.",
};

// Changing the password or signing out everywhere, on the shared account.
export function refuseOnSharedDemoAccount(email: string): AppError | null {
  return isDemoAccount(email) && !config().demoControls ? SHARED_DEMO_ACCOUNT : null;
}

// The sessions a person may see listed: all of theirs, or on the demo
// account only the one they are using, with how many were left out.
export function visibleSessions<S extends { id: string }>(
  email: string,
  sessions: S[],
  currentId: string,
): { sessions: S[]; hidden: number } {
  if (!isDemoAccount(email)) return { sessions, hidden: 0 };
  const own = sessions.filter((session) => session.id === currentId);
  return { sessions: own, hidden: sessions.length - own.length };
}

// What a person may see of their account's devices: all of them, or on the
// shared demo account only the one they are using, and none of its ended
// ones (those are other visitors' too).
export async function listVisibleDevices(user: { id: string; email: string }, current: CurrentDevice) {
  const { sessions: devices, hidden } = visibleSessions(
    user.email,
    await listUserDevices(user.id, current),
    current.id,
  );
  const ended = isDemoAccount(user.email) ? [] : await listEndedTokenDevices(user.id);
  return { devices, hidden, ended };
}

// On the demo account a visitor may end only the device they are using:
// the others are other visitors'.
export function hidesDevice(email: string, deviceId: string, currentId: string): boolean {
  return isDemoAccount(email) && deviceId !== currentId;
}

// Whether to show those credentials; during a database outage they are
// left out rather than failing the page (nobody can sign in then anyway).
export async function demoUserExists(): Promise<boolean> {
  return whenUnavailable(async () => (await db().user.count({ where: { email: DEMO_USER.email } })) > 0, false);
}
