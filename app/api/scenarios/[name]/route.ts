import { getCurrentSession } from "@/lib/auth/current-session";
import { readSessionCookie } from "@/lib/auth/session-cookie";
import { parseBearer } from "@/lib/auth/with-jwt";
import { verifyAccessToken } from "@/lib/auth/jwt";
import { isServerScenario } from "@/lib/showcase/scenario-catalog";
import { runScenario } from "@/lib/showcase/scenarios";
import { runOneAtATime, useServerSwitch } from "@/lib/showcase/demo-controls";
import { DATABASE_UNAVAILABLE, errorResponse } from "@/lib/errors";
import { checkSameOrigin, route } from "@/lib/http";

// Runs one dashboard experiment for whoever is signed in (by session, by
// Bearer token, or both). Same-origin only: it acts with your credentials.
export const POST = route<{ params: Promise<{ name: string }> }>(async (request, { params }) => {
  const sameOrigin = checkSameOrigin(request.headers);
  if (!sameOrigin.ok) return errorResponse(sameOrigin.error);
  const { name } = await params;
  if (!isServerScenario(name)) return errorResponse({ code: "not_found", description: `No scenario "${name}".` });

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
    return errorResponse(
      session.status === "unavailable"
        ? DATABASE_UNAVAILABLE
        : { code: "login_required", description: "Sign in with a session or a JWT first." },
    );
  }

  const sessionCookie = session.status === "valid" ? (await readSessionCookie()).value : null;
  const accessToken = token?.ok && bearer.ok ? bearer.value : null;
  const caller =
    session.status === "valid" ? `session:${session.session.id}` : `family:${token?.ok ? token.value.claims.sid : ""}`;
  const result = await runOneAtATime(caller, async () => {
    // Rotating the signing key affects every visitor.
    if (name === "key-rotation") {
      const allowed = await useServerSwitch(user.id);
      if (!allowed.ok) return allowed;
    }
    return { ok: true, value: await runScenario(name, { user, sessionCookie, accessToken }) };
  });
  if (!result.ok) return errorResponse(result.error);
  return Response.json(result.value, { headers: { "Cache-Control": "no-store" } });
});
