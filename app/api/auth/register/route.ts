import { registerUser } from "@/lib/auth/accounts";
import { errorResponse } from "@/lib/errors";
import { clientInfo, readJsonBody, route } from "@/lib/http";

export const POST = route(async (request) => {
  const body = await readJsonBody(request);
  if (!body.ok) return errorResponse(body.error);
  const result = await registerUser(body.value, clientInfo(request.headers));
  if (!result.ok) return errorResponse(result.error);
  return Response.json(result.value, { status: 201, headers: { "Cache-Control": "no-store" } });
});
