// Who asked for a dashboard experiment, and running it for them: the caller
// may be signed in by session, by Bearer token, or both (the dashboard's
// two columns), and the experiment uses both credentials as this request
// carried them (the several-tabs experiment, which runs in the page, asks
// only who the caller is). One experiment at a time per caller; the key rotation, which
// affects every visitor, also spends one of the caller's demo switches.
import "server-only";
import { getCurrentSession } from "@/lib/auth/current-session";
import { verifyBearerAccessToken } from "@/lib/auth/jwt";
import { readSessionCookie } from "@/lib/auth/session-cookie";
import { parseBearer } from "@/lib/auth/bearer";
import { DATABASE_UNAVAILABLE, type Result } from "@/lib/errors";
import { clientInfo } from "@/lib/http";
import type { ScenarioName } from "@/lib/showcase/scenario-catalog";
import { runOneAtATime, useServerSwitch } from "@/lib/showcase/demo-controls";
import { isScenarioAccount, SCENARIO_ACCOUNT_REFUSED } from "@/lib/showcase/demo";
import { runScenario, type Progress, type ScenarioContext, type ScenarioResult } from "@/lib/showcase/scenarios";

export async function scenarioCaller(headers: Headers): Promise<Result<ScenarioContext>> {
  const caller = await signedInCaller(headers);
  if (caller.ok && isScenarioAccount(caller.value.user.email)) return { ok: false, error: SCENARIO_ACCOUNT_REFUSED };
  return caller;
}

// Whoever is signed in, by session or Bearer token (login_required if nobody).
export async function signedInCaller(headers: Headers): Promise<Result<ScenarioContext>> {
  const session = await getCurrentSession();
  const bearer = parseBearer(headers.get("authorization"));
  const token = bearer.ok ? await verifyBearerAccessToken(bearer.value) : null;
  if (session.status === "valid") {
    return {
      ok: true,
      value: {
        user: session.user,
        key: `session:${session.session.id}`,
        ip: clientInfo(headers).ip,
        sessionCookie: (await readSessionCookie()).value,
        accessToken: token?.ok && bearer.ok ? bearer.value : null,
      },
    };
  }
  if (token?.ok && bearer.ok) {
    const { sub, email, sid } = token.value.claims;
    return {
      ok: true,
      value: {
        user: { id: sub, email },
        key: `family:${sid}`,
        ip: clientInfo(headers).ip,
        sessionCookie: null,
        accessToken: bearer.value,
      },
    };
  }
  return {
    ok: false,
    error:
      session.status === "unavailable"
        ? DATABASE_UNAVAILABLE
        : { code: "login_required", description: "Sign in with a session or a JWT first." },
  };
}

export async function runScenarioFor(
  name: ScenarioName,
  headers: Headers,
  progress?: Progress,
): Promise<Result<ScenarioResult>> {
  const caller = await scenarioCaller(headers);
  if (!caller.ok) return caller;
  const ctx = caller.value;
  return runOneAtATime(ctx, async () => {
    if (name === "key-rotation") {
      const allowed = await useServerSwitch(ctx);
      if (!allowed.ok) return allowed;
    }
    return { ok: true, value: await runScenario(name, ctx, progress) };
  });
}
