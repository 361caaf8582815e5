import { endDevice } from "@/lib/auth/sign-out";
import { withSession } from "@/lib/auth/with-session";
import { errorResponse } from "@/lib/errors";
import { clientInfo } from "@/lib/http";
import { hidesDevice } from "@/lib/showcase/demo";

// Revoke one of my sessions (another device, or this one); token clients
// are ended through DELETE /api/devices/<id>.
export const DELETE = withSession<{ params: Promise<{ id: string }> }>(
  async (request, { params }, { session, user }) => {
    const { id } = await params;
    const mine = !hidesDevice(user.email, id, session.id);
    if (!mine || !(await endDevice(user.id, session.id, id, clientInfo(request.headers), "session"))) {
      return errorResponse({ code: "not_found", description: "No such session among yours." });
    }
    return Response.json({ revoked: id }, { headers: { "Cache-Control": "no-store" } });
  },
  { changesState: true },
);
