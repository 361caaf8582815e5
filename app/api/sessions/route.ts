import { describeSession, invalidateUserSessions, listUserSessions } from "@/lib/auth/session";
import { clearSessionCookie, withSession } from "@/lib/auth/session-cookie";
import { recordEvent } from "@/lib/auth/events";
import { clientInfo } from "@/lib/http";

const NO_STORE = { "Cache-Control": "no-store" };

// My active sessions, this one marked.
export const GET = withSession(
  async (_request, _context, { session, user }) => {
    const sessions = await listUserSessions(user.id);
    return Response.json({ sessions: sessions.map((s) => describeSession(s, session.id)) }, { headers: NO_STORE });
  },
  { changesState: false },
);

// Sign out everywhere, this device included.
export const DELETE = withSession(
  async (request, _context, { user }) => {
    const revoked = await invalidateUserSessions(user.id);
    await clearSessionCookie();
    await recordEvent({ type: "session.revoked_all", userId: user.id, mechanism: "session", client: clientInfo(request.headers), detail: { revoked } });
    return Response.json({ revoked }, { headers: NO_STORE });
  },
  { changesState: true },
);
