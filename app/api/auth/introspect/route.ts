import { authenticateIntrospectionClient, introspectToken } from "@/lib/auth/introspection";
import { errorResponse } from "@/lib/errors";
import { readFormBody, route } from "@/lib/http";

// RFC 7662: a resource server, authenticated as itself, posts `token=…`
// (a form, as the RFC prescribes); `{active:false}` tells it nothing more.
export const POST = route(async (request) => {
  const client = authenticateIntrospectionClient(request.headers.get("authorization"));
  if (!client.ok) return errorResponse(client.error);
  const body = await readFormBody(request);
  if (!body.ok) return errorResponse(body.error);
  const token = body.value.get("token");
  if (!token) return errorResponse({ code: "invalid_request", description: "Send token=<access token>." });
  return Response.json(await introspectToken(token), { headers: { "Cache-Control": "no-store" } });
});
