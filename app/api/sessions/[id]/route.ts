import { invalidateUserSession } from "@/lib/auth/session";
import { clearSessionCookie, withSession } from "@/lib/auth/session-cookie";
import { recordEvent } from "@/lib/auth/events";
import { errorResponse } from "@/lib/errors";
import { clientInfo } from "@/lib/http";

// Revoke one of my sessions (another device, or this one).
export const DELETE = withSession<{ params: Promise<{ id: string }> }>(
  async (request, { params }, { session, user }) => {
    const { id } = await params;
    if (!(await invalidateUserSession(user.id, id))) {
      return errorResponse({ code: "not_found", description: "No such session among yours." });
    }
    if (id === session.id) await clearSessionCookie();
    await recordEvent({
      type: "session.revoked",
      userId: user.id,
      mechanism: "session",
      client: clientInfo(request.headers),
      detail: { session: id },
    });
    return Response.json({ revoked: id }, { headers: { "Cache-Control": "no-store" } });
  },
  { changesState: true },
);
