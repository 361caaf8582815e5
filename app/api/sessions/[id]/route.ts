import { endDevice } from "@/lib/auth/sign-out";
import { withSession } from "@/lib/auth/with-session";
import { errorResponse } from "@/lib/errors";
import { clientInfo } from "@/lib/http";

// Revoke one of my sessions (another device, or this one). The same as
// DELETE /api/devices/<id>, which also takes token clients.
export const DELETE = withSession<{ params: Promise<{ id: string }> }>(
  async (request, { params }, { session, user }) => {
    const { id } = await params;
    if (!(await endDevice(user.id, session.id, id, clientInfo(request.headers)))) {
      return errorResponse({ code: "not_found", description: "No such session among yours." });
    }
    return Response.json({ revoked: id }, { headers: { "Cache-Control": "no-store" } });
  },
  { changesState: true },
);
