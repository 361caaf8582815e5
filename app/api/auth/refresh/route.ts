import { z } from "zod";
import { readRefreshCookie } from "@/lib/auth/refresh-cookie";
import { refreshTokens } from "@/lib/auth/token-endpoint";
import { errorResponse } from "@/lib/errors";
import { checkSameOrigin, clientInfo, readJsonBody, route } from "@/lib/http";

const RefreshShape = z.object({ refresh_token: z.string().min(1).max(512).optional() });

// {refresh_token} in JSON (API clients), or the refresh cookie (browsers,
// which must then come from our own origin).
export const POST = route(async (request) => {
  const body =
    request.headers.get("content-length") === "0" ? { ok: true as const, value: {} } : await readJsonBody(request);
  if (!body.ok) return errorResponse(body.error);
  const shape = RefreshShape.safeParse(body.value ?? {});
  if (!shape.success) return errorResponse({ code: "invalid_request", description: "refresh_token must be a string." });
  let token = shape.data.refresh_token ?? null;
  if (token === null) {
    const sameOrigin = checkSameOrigin(request.headers);
    if (!sameOrigin.ok) return errorResponse(sameOrigin.error);
    token = await readRefreshCookie(request.headers);
  }
  if (token === null)
    return errorResponse({ code: "invalid_request", description: "Send refresh_token, or the refresh cookie." });
  const pair = await refreshTokens(token, clientInfo(request.headers), request.headers);
  if (!pair.ok) return errorResponse(pair.error);
  return Response.json(pair.value, { headers: { "Cache-Control": "no-store", Pragma: "no-cache" } });
});
