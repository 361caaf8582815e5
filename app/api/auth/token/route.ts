import { z } from "zod";
import { verifyCredentials } from "@/lib/auth/signin";
import { CLIENT_IDS, refreshTokenInCookie } from "@/lib/auth/clients";
import { issueTokens } from "@/lib/auth/token-endpoint";
import { errorResponse } from "@/lib/errors";
import { checkSameOrigin, clientInfo, readJsonBody, route } from "@/lib/http";

const ClientShape = z.object({ client_id: z.enum(CLIENT_IDS).default("api") });

// Sign in with a JWT: {email, password, client_id?} → an access token and a
// refresh token (in a cookie for browser clients).
export const POST = route(async (request) => {
  const body = await readJsonBody(request);
  if (!body.ok) return errorResponse(body.error);
  const client = ClientShape.safeParse(body.value ?? {});
  if (!client.success) {
    return errorResponse({
      code: "invalid_request",
      description: `client_id must be one of ${CLIENT_IDS.join(", ")}.`,
    });
  }
  // A cookie-setting sign-in must come from our own pages (login CSRF).
  if (refreshTokenInCookie(client.data.client_id)) {
    const sameOrigin = checkSameOrigin(request.headers);
    if (!sameOrigin.ok) return errorResponse(sameOrigin.error);
  }
  const info = clientInfo(request.headers);
  const user = await verifyCredentials(body.value, info, "jwt");
  if (!user.ok) return errorResponse(user.error);
  const pair = await issueTokens(user.value, client.data.client_id, info, request.headers);
  if (!pair.ok) return errorResponse(pair.error);
  return Response.json(pair.value, { headers: { "Cache-Control": "no-store", Pragma: "no-cache" } });
});
