import { startSession } from "@/lib/auth/current-session";
import { describeSession } from "@/lib/auth/session";
import { signOut } from "@/lib/auth/sign-out";
import { verifyCredentials } from "@/lib/auth/signin";
import { withSession } from "@/lib/auth/with-session";
import { config } from "@/lib/config";
import { errorResponse } from "@/lib/errors";
import { checkSameOrigin, clientInfo, readJsonBody, route } from "@/lib/http";

const NO_STORE = { "Cache-Control": "no-store" };

function policy() {
  const { idleTimeoutMs, absoluteTimeoutMs, renewIntervalMs } = config().session;
  return {
    idleTimeoutSeconds: idleTimeoutMs / 1000,
    absoluteTimeoutSeconds: absoluteTimeoutMs / 1000,
    renewIntervalSeconds: renewIntervalMs / 1000,
  };
}

// The current session as stored (hash prefix only) for the dashboard.
export const GET = withSession(
  async (_request, _context, { session, user }) =>
    Response.json({ user, session: describeSession(session, session.id), policy: policy() }, { headers: NO_STORE }),
  { changesState: false },
);

// Sign in with a session from script (the dashboard, API clients). Checks the
// Origin too: a forged cross-site sign-in ("login CSRF") would put a victim
// in the attacker's account.
export const POST = route(async (request) => {
  const sameOrigin = checkSameOrigin(request.headers);
  if (!sameOrigin.ok) return errorResponse(sameOrigin.error);
  const body = await readJsonBody(request);
  if (!body.ok) return errorResponse(body.error);
  const user = await verifyCredentials(body.value, clientInfo(request.headers), "session");
  if (!user.ok) return errorResponse(user.error);
  const session = await startSession(user.value.id);
  return Response.json(
    { user: user.value, session: describeSession(session, session.id), policy: policy() },
    { headers: NO_STORE },
  );
});

// Sign out on this device.
export const DELETE = withSession(
  async (request) => {
    await signOut(clientInfo(request.headers));
    return new Response(null, { status: 204, headers: NO_STORE });
  },
  { changesState: true },
);
