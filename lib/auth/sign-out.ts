// Ending every sign-in of a person, whatever carries it: browser sessions
// and refresh-token families (API clients, the dashboard's browser client).
// One function for the /account page's action and the API, so neither can
// forget a kind; it records its own audit event.
import { recordEvent, type Mechanism } from "@/lib/auth/events";
import { revokeUserFamilies } from "@/lib/auth/refresh";
import { invalidateUserSessions } from "@/lib/auth/session";
import type { ClientInfo } from "@/lib/http";

export async function signOutEverywhere(
  userId: string,
  client: ClientInfo,
  mechanism: Mechanism,
): Promise<{ sessions: number; families: number }> {
  const sessions = await invalidateUserSessions(userId);
  const families = await revokeUserFamilies(userId, "signed_out_everywhere");
  await recordEvent({
    type: "session.revoked_all",
    userId,
    mechanism,
    client,
    detail: { revoked: sessions, revokedFamilies: families },
  });
  return { sessions, families };
}
