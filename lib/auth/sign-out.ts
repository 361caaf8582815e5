// Ending sign-ins: this browser's session, one chosen device, or every
// sign-in of a person (browser sessions and refresh-token families: API
// clients, the dashboard's browser client). The /account page's actions and
// the API call the same functions, and each records its own audit event, so
// neither can forget a kind or an event.
import "server-only";
import { endCurrentSession, type ActiveSession } from "@/lib/auth/current-session";
import { endAllUserDevices, endUserDevice, type DeviceKind, type Ended } from "@/lib/auth/devices";
import { recordEvent } from "@/lib/auth/events";
import { clearSessionCookie } from "@/lib/auth/session-cookie";
import type { ClientInfo } from "@/lib/http";

// This browser: its record and its cookie. `checked`: its session, when
// the caller has checked it already.
export async function signOut(client: ClientInfo, checked?: ActiveSession): Promise<ActiveSession | null> {
  const ended = await endCurrentSession(checked);
  if (ended) {
    await recordEvent({
      type: "signout",
      userId: ended.user.id,
      mechanism: "session",
      client,
      detail: { session: ended.session.id },
    });
  }
  return ended;
}

// One device of the signed-in person (lib/auth/devices.ts): a session,
// this browser's own included (its cookie then goes too), or a token
// client. Null when it is not one of theirs.
export async function endDevice(
  userId: string,
  currentSessionId: string | null,
  deviceId: string,
  client: ClientInfo,
  only?: DeviceKind,
): Promise<Ended | null> {
  const ended = await endUserDevice(userId, deviceId, client, { only });
  if (ended && deviceId === currentSessionId) await clearSessionCookie();
  return ended;
}

// Every session and every refresh family of the account, this browser's
// included (its cookie goes too).
export async function signOutEverywhere(
  userId: string,
  client: ClientInfo,
): Promise<{ sessions: number; families: number }> {
  const ended = await endAllUserDevices(userId, client);
  await clearSessionCookie();
  return ended;
}
