import { describeSession, listUserSessions } from "@/lib/auth/session";
import { signOutEverywhere } from "@/lib/auth/sign-out";
import { withSession } from "@/lib/auth/with-session";
import { errorResponse } from "@/lib/errors";
import { clientInfo } from "@/lib/http";
import { refuseOnSharedDemoAccount, visibleSessions } from "@/lib/showcase/demo";

const NO_STORE = { "Cache-Control": "no-store" };

// My active sessions, this one marked (on the shared demo account, only this one).
export const GET = withSession(
  async (_request, _context, { session, user }) => {
    const { sessions, hidden } = visibleSessions(user.email, await listUserSessions(user.id), session.id);
    return Response.json(
      { sessions: sessions.map((s) => describeSession(s, session.id)), hidden },
      { headers: NO_STORE },
    );
  },
  { changesState: false },
);

// Sign out everywhere, this device included: every session and every
// refresh-token family of the account.
export const DELETE = withSession(
  async (request, _context, { user }) => {
    const refused = refuseOnSharedDemoAccount(user.email);
    if (refused) return errorResponse(refused);
    const { sessions, families } = await signOutEverywhere(user.id, clientInfo(request.headers));
    return Response.json({ revoked: sessions, revoked_families: families }, { headers: NO_STORE });
  },
  { changesState: true },
);
