import { errorResponse } from "@/lib/errors";
import { checkSameOrigin, route } from "@/lib/http";
import { scenarioCaller } from "@/lib/showcase/scenario-request";
import { describeSeveralTabs, endSeveralTabs } from "@/lib/showcase/several-tabs";

type Params = { params: Promise<{ account: string }> };

// What the database saw of the experiment account's refresh families.
export const GET = route<Params>(async (request, { params }) => {
  const caller = await scenarioCaller(request.headers);
  if (!caller.ok) return errorResponse(caller.error);
  const families = await describeSeveralTabs(caller.value.key, (await params).account);
  if (!families.ok) return errorResponse(families.error);
  return Response.json({ families: families.value }, { headers: { "Cache-Control": "no-store" } });
});

// The experiment is over: its account goes, and everything signed in with it.
export const DELETE = route<Params>(async (request, { params }) => {
  const sameOrigin = checkSameOrigin(request.headers);
  if (!sameOrigin.ok) return errorResponse(sameOrigin.error);
  const caller = await scenarioCaller(request.headers);
  if (!caller.ok) return errorResponse(caller.error);
  const ended = await endSeveralTabs(caller.value.key, (await params).account);
  if (!ended.ok) return errorResponse(ended.error);
  return new Response(null, { status: 204 });
});
