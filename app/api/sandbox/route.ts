import { errorResponse } from "@/lib/errors";
import { checkSameOrigin, clientInfo, route } from "@/lib/http";
import { createSandboxAccount } from "@/lib/showcase/sandbox";

// A throwaway account of the visitor's own, for the dashboard: same-origin
// only, so another site cannot spend the visitor's registration allowance.
export const POST = route(async (request) => {
  const sameOrigin = checkSameOrigin(request.headers);
  if (!sameOrigin.ok) return errorResponse(sameOrigin.error);
  const account = await createSandboxAccount(clientInfo(request.headers));
  if (!account.ok) return errorResponse(account.error);
  return Response.json(account.value, { status: 201, headers: { "Cache-Control": "no-store" } });
});
