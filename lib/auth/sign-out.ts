// Ending sign-ins: this browser's session, one chosen session, or every
// sign-in of a person (browser sessions and refresh-token families: API
// clients, the dashboard's browser client). The /account page's actions and
// the API call the same functions, and each records its own audit event, so
// neither can forget a kind or an event.
import "server-only";
import { endCurrentSession, type ActiveSession } from "@/lib/auth/current-session";
import { recordEvent } from "@/lib/auth/events";
import { revokeUserFamilies } from "@/lib/auth/refresh";
import { invalidateUserSession, invalidateUserSessions } from "@/lib/auth/session";
import { clearSessionCookie } from "@/lib/auth/session-cookie";
import type { ClientInfo } from "@/lib/http";

// This browser: its record and its cookie.
export async function signOut(client: ClientInfo): Promise<ActiveSession | null> {
  const ended = await endCurrentSession();
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

// One of the signed-in person's sessions (another device, or this one, whose
// cookie then goes too). False when it is not one of theirs.
export async function revokeSession(current: ActiveSession, sessionId: string, client: ClientInfo): Promise<boolean> {
  if (!(await invalidateUserSession(current.user.id, sessionId))) return false;
  if (sessionId === current.session.id) await clearSessionCookie();
  await recordEvent({
    type: "session.revoked",
    userId: current.user.id,
    mechanism: "session",
    client,
    detail: { session: sessionId },
  });
  return true;
}

// Every session and every refresh family of the account, this browser's
// included (its cookie goes too).
export async function signOutEverywhere(
  userId: string,
  client: ClientInfo,
): Promise<{ sessions: number; families: number }> {
  const sessions = await invalidateUserSessions(userId);
  const families = await revokeUserFamilies(userId, "signed_out_everywhere");
  await clearSessionCookie();
  await recordEvent({
    type: "session.revoked_all",
    userId,
    mechanism: "session",
    client,
    detail: { revoked: sessions, revokedFamilies: families },
  });
  return { sessions, families };
}
