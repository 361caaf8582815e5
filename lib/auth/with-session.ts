// Protects a session route handler in one line, as lib/auth/with-jwt.ts
// does for Bearer tokens.
import "server-only";
import { DATABASE_UNAVAILABLE, errorResponse } from "@/lib/errors";
import { checkSameOrigin, route } from "@/lib/http";
import { serverTiming } from "@/lib/server-timing";
import { getRequestSession, type ActiveSession } from "@/lib/auth/current-session";
import { clearSessionCookie } from "@/lib/auth/session-cookie";
import { invalidSessionMessage } from "@/lib/auth/session";

type SessionHandler<C> = (request: Request, context: C, auth: ActiveSession) => Promise<Response>;

// State-changing handlers also refuse
// cross-site requests. Every answer carries the check's cost in Server-Timing;
// a rejected cookie is cleared.
export function withSession<C>(handler: SessionHandler<C>, options: { changesState: boolean }) {
  return route<C>(async (request, context) => {
    if (options.changesState) {
      const sameOrigin = checkSameOrigin(request.headers);
      if (!sameOrigin.ok) return errorResponse(sameOrigin.error);
    }
    const current = await getRequestSession(request);
    const timing = serverTiming("session", current.checkMs, current.checkKind);
    if (current.status === "unavailable")
      return errorResponse(DATABASE_UNAVAILABLE, { headers: { "Server-Timing": timing } });
    if (current.status !== "valid") {
      if (current.hadCookie) await clearSessionCookie();
      return errorResponse(
        { code: "login_required", description: invalidSessionMessage(current.reason) },
        { headers: { "Server-Timing": timing } },
      );
    }
    const response = await handler(request, context, current);
    response.headers.append("Server-Timing", timing);
    return response;
  });
}
