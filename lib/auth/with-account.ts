// For routes a person may call from a browser session or from a token
// client alike (the device list): a Bearer token when the request carries an
// Authorization header, the session cookie otherwise, each with its own
// rules (lib/auth/with-jwt.ts, lib/auth/with-session.ts: same-origin
// checks apply to cookie callers, which a cross-site page could ride).
// A Bearer caller's token is also checked against revocation whatever
// denylist mode says: these routes manage the account's devices, and a
// device that was ended must not keep doing that until its token expires.
import "server-only";
import type { CurrentDevice } from "@/lib/auth/devices";
import { findAccessTokenRevocation } from "@/lib/auth/denylist";
import { errorResponse } from "@/lib/errors";
import { withJwt } from "@/lib/auth/with-jwt";
import { withSession } from "@/lib/auth/with-session";

export type AccountAuth = { user: { id: string; email: string }; device: CurrentDevice };
type AccountHandler<C> = (request: Request, context: C, auth: AccountAuth) => Promise<Response>;

export function withSessionOrBearer<C>(handler: AccountHandler<C>, options: { changesState: boolean }) {
  const viaSession = withSession<C>(
    (request, context, { user, session }) =>
      handler(request, context, { user, device: { kind: "session", id: session.id } }),
    options,
  );
  const viaBearer = withJwt<C>(async (request, context, { claims, checkedDenylist }) => {
    if (!checkedDenylist && (await findAccessTokenRevocation(claims)) !== null) {
      return errorResponse({
        code: "invalid_token",
        description: "The access token was revoked, or its device ended.",
      });
    }
    return handler(request, context, {
      user: { id: claims.sub, email: claims.email },
      device: { kind: "token", id: claims.sid },
    });
  });
  return (request: Request, context: C) =>
    request.headers.has("authorization") ? viaBearer(request, context) : viaSession(request, context);
}
