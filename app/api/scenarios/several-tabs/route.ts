import { errorResponse } from "@/lib/errors";
import { checkSameOrigin, route } from "@/lib/http";
import { scenarioCaller } from "@/lib/showcase/scenario-request";
import { startSeveralTabs } from "@/lib/showcase/several-tabs";

// Starts the several-tabs experiment for whoever is signed in: a throwaway
// account, and its password for the page's hidden tabs to sign in with.
// Same-origin only, like the other experiments.
export const POST = route(async (request) => {
  const sameOrigin = checkSameOrigin(request.headers);
  if (!sameOrigin.ok) return errorResponse(sameOrigin.error);
  const caller = await scenarioCaller(request.headers);
  if (!caller.ok) return errorResponse(caller.error);
  const account = await startSeveralTabs(caller.value.key);
  return Response.json({ account }, { status: 201, headers: { "Cache-Control": "no-store" } });
});
