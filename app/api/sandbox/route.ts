import { errorResponse } from "@/lib/errors";
import { checkSameOrigin, clientInfo, route } from "@/lib/http";
import { createSandboxAccount } from "@/lib/showcase/sandbox";
import { signedInCaller } from "@/lib/showcase/scenario-request";

// A throwaway account of the visitor's own, for the dashboard: same-origin
// only, so another site cannot spend the visitor's registration allowance.
// Signed in, the visitor spends an allowance of their own.
export const POST = route(async (request) => {
  const sameOrigin = checkSameOrigin(request.headers);
  if (!sameOrigin.ok) return errorResponse(sameOrigin.error);
  const caller = await signedInCaller(request.headers);
  if (!caller.ok && caller.error.code !== "login_required") return errorResponse(caller.error);
  const account = await createSandboxAccount(clientInfo(request.headers), caller.ok ? caller.value.key : null);
  if (!account.ok) return errorResponse(account.error);
  return Response.json(account.value, { status: 201, headers: { "Cache-Control": "no-store" } });
});
