import { currentSessionCookieValue, getCurrentSession } from "@/lib/auth/session-cookie";
import { parseBearer } from "@/lib/auth/bearer";
import { verifyAccessToken } from "@/lib/auth/jwt";
import { runScenario, SCENARIOS, type ScenarioName } from "@/lib/scenarios";
import { config } from "@/lib/config";
import { DATABASE_UNAVAILABLE, DEMO_CONTROLS_OFF, errorResponse } from "@/lib/errors";
import { checkSameOrigin, route } from "@/lib/http";

// Runs one dashboard experiment for whoever is signed in (by session, by
// Bearer token, or both). Same-origin only: it acts with your credentials.
export const POST = route<{ params: Promise<{ name: string }> }>(async (request, { params }) => {
  const sameOrigin = checkSameOrigin(request.headers);
  if (!sameOrigin.ok) return errorResponse(sameOrigin.error);
  const { name } = await params;
  if (!SCENARIOS.includes(name as ScenarioName)) return errorResponse({ code: "not_found", description: `No scenario "${name}".` });
  // Rotating the signing key affects every visitor.
  if (name === "key-rotation" && !config().demoControls) return errorResponse(DEMO_CONTROLS_OFF);

  const session = await getCurrentSession();
  const bearer = parseBearer(request.headers.get("authorization"));
  const token = bearer.ok ? await verifyAccessToken(bearer.value) : null;
  const user =
    session.status === "valid"
      ? session.user
      : token?.ok
        ? { id: token.value.claims.sub, email: token.value.claims.email }
        : null;
  if (!user) {
    return errorResponse(session.status === "unavailable" ? DATABASE_UNAVAILABLE : { code: "login_required", description: "Sign in with a session or a JWT first." });
  }

  const result = await runScenario(name as ScenarioName, {
    user,
    sessionCookie: session.status === "valid" ? await currentSessionCookieValue() : null,
    accessToken: token?.ok && bearer.ok ? bearer.value : null,
  });
  return Response.json(result, { headers: { "Cache-Control": "no-store" } });
});
