import { z } from "zod";
import { revokeToken } from "@/lib/auth/token-endpoint";
import { errorResponse } from "@/lib/errors";
import { clientInfo, readFormBody, readJsonBody, route } from "@/lib/http";

const RevokeShape = z.object({ token: z.string().min(1).max(8192), token_type_hint: z.string().optional() });

// RFC 7009: 200 whatever the token was (valid, unknown, already revoked), so
// the answer tells an attacker nothing. A form post as the RFC has it
// (`token=…`, what OAuth libraries send), or the same as JSON.
export const POST = route(async (request) => {
  const form = /^application\/x-www-form-urlencoded\b/i.test(request.headers.get("content-type") ?? "");
  const body = form ? await readFormBody(request) : await readJsonBody(request);
  if (!body.ok) return errorResponse(body.error);
  const shape = RevokeShape.safeParse(
    body.value instanceof URLSearchParams ? Object.fromEntries(body.value) : body.value,
  );
  if (!shape.success)
    return errorResponse({ code: "invalid_request", description: 'Send token=… (a form) or {"token": "…"}.' });
  await revokeToken(shape.data.token, clientInfo(request.headers));
  return Response.json({}, { headers: { "Cache-Control": "no-store" } });
});
