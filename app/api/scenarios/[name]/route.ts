import { errorResponse } from "@/lib/errors";
import { checkSameOrigin, route } from "@/lib/http";
import { isServerScenario } from "@/lib/showcase/scenario-catalog";
import { progressResponse, wantsProgress } from "@/lib/showcase/progress-stream";
import { runScenarioFor } from "@/lib/showcase/scenario-request";

// Runs one dashboard experiment for whoever is signed in (by session, by
// Bearer token, or both). Same-origin only: it acts with your credentials.
export const POST = route<{ params: Promise<{ name: string }> }>(async (request, { params }) => {
  const sameOrigin = checkSameOrigin(request.headers);
  if (!sameOrigin.ok) return errorResponse(sameOrigin.error);
  const { name } = await params;
  if (!isServerScenario(name)) return errorResponse({ code: "not_found", description: `No scenario "${name}".` });
  // The dashboard asks for the steps as they happen (its live timeline).
  if (wantsProgress(request.headers))
    return progressResponse((progress) => runScenarioFor(name, request.headers, progress));
  const result = await runScenarioFor(name, request.headers);
  if (!result.ok) return errorResponse(result.error);
  return Response.json(result.value, { headers: { "Cache-Control": "no-store" } });
});
