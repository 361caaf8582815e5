import { z } from "zod";
import { verifyCredentials } from "@/lib/auth/signin";
import { CLIENT_IDS, refreshTokenInCookie } from "@/lib/auth/clients";
import { parseTokenRequest } from "@/lib/auth/token-request";
import {
  checkTokenRequestProof,
  exchangeAuthorizationCode,
  issueTokens,
  refreshTokens,
} from "@/lib/auth/token-endpoint";
import { errorResponse, tokenErrorResponse } from "@/lib/errors";
import { checkSameOrigin, clientInfo, readFormBody, readJsonBody, route } from "@/lib/http";

const ClientShape = z.object({ client_id: z.enum(CLIENT_IDS).default("api") });
const NO_STORE = { "Cache-Control": "no-store", Pragma: "no-cache" };

// RFC 6749 form posts (authorization_code with PKCE, refresh_token): no
// cookie is read or set on this path, so a cross-site form posting here
// carries nothing the attacker did not already have (docs/decisions.md §44).
async function formGrant(request: Request): Promise<Response> {
  const form = await readFormBody(request);
  if (!form.ok) return tokenErrorResponse(form.error);
  const parsed = parseTokenRequest(form.value);
  if (!parsed.ok) return tokenErrorResponse(parsed.error);
  const grant = parsed.value;
  const info = clientInfo(request.headers);
  if (refreshTokenInCookie(grant.clientId))
    return tokenErrorResponse({
      code: "invalid_request",
      description: "This client receives its refresh token in a cookie: use the JSON endpoints (docs/api.md).",
    });
  // With a DPoP proof, what is issued is bound to its key (RFC 9449 §5).
  const proof = await checkTokenRequestProof(request.headers.get("dpop"));
  if (!proof.ok) return tokenErrorResponse(proof.error);
  const dpopJkt = proof.value;
  const pair =
    grant.grant === "authorization_code"
      ? await exchangeAuthorizationCode({ ...grant, dpopJkt }, info, request.headers)
      : await refreshTokens(grant.refreshToken, info, request.headers, grant.clientId, dpopJkt);
  if (!pair.ok) return tokenErrorResponse(pair.error);
  return Response.json(pair.value, { headers: NO_STORE });
}

// The legacy password grant, which OAuth 2.1 removes: {email, password,
// client_id?} as JSON → an access token and a refresh token (in a cookie
// for browser clients). The dashboard's one-click sign-in uses it.
async function passwordGrant(request: Request): Promise<Response> {
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
  return Response.json(pair.value, { headers: NO_STORE });
}

export const POST = route((request) =>
  /^application\/x-www-form-urlencoded\b/i.test(request.headers.get("content-type") ?? "")
    ? formGrant(request)
    : passwordGrant(request),
);
