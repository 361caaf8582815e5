// Bearer-token plumbing for route handlers (RFC 6750): parse the
// Authorization header, verify, and protect a handler in one line.
import { clientInfo, route } from "@/lib/http";
import { serverTiming } from "@/lib/server-timing";
import { errorResponse } from "@/lib/errors";
import { parseBearer } from "@/lib/auth/bearer";
import { verifyAccessToken, wasVerifiedBefore, type VerifiedToken } from "@/lib/auth/jwt";
import { recordEventAtMostEvery } from "@/lib/auth/events";

export type JwtAuth = VerifiedToken & { checkMs: number };
type JwtHandler<C> = (request: Request, context: C, auth: JwtAuth) => Promise<Response>;

// Every answer carries Server-Timing `auth;desc="jwt, <kind>"`. Rejections are
// logged at most once a minute per address and reason.
export function withJwt<C>(handler: JwtHandler<C>) {
  return route<C>(async (request, context) => {
    const started = performance.now();
    const bearer = parseBearer(request.headers.get("authorization"));
    const kind = !bearer.ok ? "none" : wasVerifiedBefore(bearer.value) ? "seen before" : "first sight";
    const verified = bearer.ok ? await verifyAccessToken(bearer.value) : null;
    const timing = serverTiming("jwt", performance.now() - started, kind);
    if (!bearer.ok) return errorResponse(bearer.error, { headers: { "Server-Timing": timing } });
    if (!verified!.ok) {
      const { code, description } = verified!.error;
      const client = clientInfo(request.headers);
      await recordEventAtMostEvery(`token.invalid:${client.ip}:${code}`, 60_000, {
        type: "token.invalid",
        mechanism: "jwt",
        client,
        detail: { reason: code },
      });
      return errorResponse({ code: "invalid_token", description }, { headers: { "Server-Timing": timing } });
    }
    const response = await handler(request, context, { ...verified!.value, checkMs: performance.now() - started });
    response.headers.append("Server-Timing", timing);
    return response;
  });
}
