import { startSession } from "@/lib/auth/current-session";
import { describeSignedIn } from "@/lib/auth/session";
import { signOut } from "@/lib/auth/sign-out";
import { verifyCredentials } from "@/lib/auth/signin";
import { withSession } from "@/lib/auth/with-session";
import { errorResponse } from "@/lib/errors";
import { checkSameOrigin, clientInfo, readJsonBody, route } from "@/lib/http";

const NO_STORE = { "Cache-Control": "no-store" };

// The current session as stored (hash prefix only) for the dashboard.
export const GET = withSession(
  async (_request, _context, { session, user }) =>
    Response.json(describeSignedIn(user, session), { headers: NO_STORE }),
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
  const session = await startSession(user.value);
  if (!session.ok) return errorResponse(session.error);
  return Response.json(describeSignedIn(user.value, session.value), { headers: NO_STORE });
});

// Sign out on this device.
export const DELETE = withSession(
  async (request, _context, auth) => {
    await signOut(clientInfo(request.headers), auth);
    return new Response(null, { status: 204, headers: NO_STORE });
  },
  { changesState: true },
);
