import { describeSession, listUserSessions } from "@/lib/auth/session";
import { clearSessionCookie, withSession } from "@/lib/auth/session-cookie";
import { signOutEverywhere } from "@/lib/auth/sign-out";
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

// Sign out everywhere, this device included: every session and every
// refresh-token family of the account.
export const DELETE = withSession(
  async (request, _context, { user }) => {
    const { sessions, families } = await signOutEverywhere(user.id, clientInfo(request.headers), "session");
    await clearSessionCookie();
    return Response.json({ revoked: sessions, revoked_families: families }, { headers: NO_STORE });
  },
  { changesState: true },
);
