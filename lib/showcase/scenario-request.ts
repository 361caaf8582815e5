// Who asked for a dashboard experiment, and running it for them: the caller
// may be signed in by session, by Bearer token, or both (the dashboard's
// two columns), and the experiment uses both credentials as this request
// carried them. One experiment at a time per caller; the key rotation, which
// affects every visitor, also spends one of the caller's demo switches.
import "server-only";
import { getCurrentSession } from "@/lib/auth/current-session";
import { verifyAccessToken } from "@/lib/auth/jwt";
import { readSessionCookie } from "@/lib/auth/session-cookie";
import { parseBearer } from "@/lib/auth/with-jwt";
import { DATABASE_UNAVAILABLE, type Result } from "@/lib/errors";
import type { ScenarioName } from "@/lib/showcase/scenario-catalog";
import { runOneAtATime, useServerSwitch } from "@/lib/showcase/demo-controls";
import { runScenario, type ScenarioResult } from "@/lib/showcase/scenarios";

export async function runScenarioFor(name: ScenarioName, headers: Headers): Promise<Result<ScenarioResult>> {
  const session = await getCurrentSession();
  const bearer = parseBearer(headers.get("authorization"));
  const token = bearer.ok ? await verifyAccessToken(bearer.value) : null;
  const user =
    session.status === "valid"
      ? session.user
      : token?.ok
        ? { id: token.value.claims.sub, email: token.value.claims.email }
        : null;
  if (!user) {
    return {
      ok: false,
      error:
        session.status === "unavailable"
          ? DATABASE_UNAVAILABLE
          : { code: "login_required", description: "Sign in with a session or a JWT first." },
    };
  }
  const sessionCookie = session.status === "valid" ? (await readSessionCookie()).value : null;
  const accessToken = token?.ok && bearer.ok ? bearer.value : null;
  // Per session or token family, not per user: the demo account is one user
  // for every visitor.
  const caller =
    session.status === "valid" ? `session:${session.session.id}` : `family:${token?.ok ? token.value.claims.sid : ""}`;
  return runOneAtATime(caller, async () => {
    if (name === "key-rotation") {
      const allowed = await useServerSwitch(user.id);
      if (!allowed.ok) return allowed;
    }
    return { ok: true, value: await runScenario(name, { user, sessionCookie, accessToken }) };
  });
}
