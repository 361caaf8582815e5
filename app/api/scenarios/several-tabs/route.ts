import { errorResponse } from "@/lib/errors";
import { checkSameOrigin, clientInfo, route } from "@/lib/http";
import { runOneAtATime } from "@/lib/showcase/demo-controls";
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
  // One run at a time per caller: a second start would delete the first's account.
  const account = await runOneAtATime(caller.value, () =>
    startSeveralTabs(caller.value.key, clientInfo(request.headers)),
  );
  if (!account.ok) return errorResponse(account.error);
  return Response.json({ account: account.value }, { status: 201, headers: { "Cache-Control": "no-store" } });
});
