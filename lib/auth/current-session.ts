// The session of the current request, checked once per request (pages
// share it through React cache(); a route handler gets it from withSession),
// and the three things a request does with it: start one (sign-in), end it
// (sign-out), or require it (a protected page or action).
import "server-only";
import { cache } from "react";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { DatabaseUnavailable, isDatabaseUnavailable } from "@/lib/database-errors";
import { clientInfo } from "@/lib/http";
import type { CheckKind } from "@/lib/server-timing";
import type { CredentialHolder } from "@/lib/auth/credential-version";
import { refuseSupersededSignIn } from "@/lib/auth/signin";
import type { Result } from "@/lib/errors";
import {
  clearSessionCookie,
  readRequestSessionCookie,
  readSessionCookie,
  setSessionCookie,
  openSessionCookie,
  type SessionCookie,
} from "@/lib/auth/session-cookie";
import {
  createSession,
  invalidateSession,
  validateSessionToken,
  type SessionRecord,
  type SessionValidation,
} from "@/lib/auth/session";

// "unavailable": the cookie may be fine but the session store did not
// answer, so nothing is known; every caller must fail closed on it.
export type CurrentSession = (SessionValidation | { status: "unavailable" }) & {
  hadCookie: boolean;
  checkMs: number;
  checkKind: CheckKind;
};

// The one session check, for pages and route handlers alike; they differ
// only in where the cookie is read (lib/auth/session-cookie.ts). The time
// reported in Server-Timing covers reading the cookie too.
async function checkSession(read: () => SessionCookie | Promise<SessionCookie>): Promise<CurrentSession> {
  const started = performance.now();
  const { value, hadCookie } = await read();
  const { token, kind: checkKind } = await openSessionCookie(value);
  const finish = (result: SessionValidation | { status: "unavailable" }): CurrentSession => ({
    ...result,
    hadCookie,
    checkMs: performance.now() - started,
    checkKind,
  });
  if (value === null) return finish({ status: "invalid", reason: "missing" });
  if (!token) return finish({ status: "invalid", reason: "malformed" });
  try {
    return finish(await validateSessionToken(token));
  } catch (error) {
    if (isDatabaseUnavailable(error)) return finish({ status: "unavailable" });
    throw error;
  }
}

// Pages, layouts and actions in one request share one check; also what a
// handler that signs in or out reads (lib/auth/session-cookie.ts).
export const getCurrentSession = cache(() => checkSession(readSessionCookie));

// Route handlers (lib/auth/with-session.ts): the cookie of the request the
// handler was given. React cache() has no request scope in a handler, so
// there is nothing to share; the check is the same.
export function getRequestSession(request: Request): Promise<CurrentSession> {
  return checkSession(() => readRequestSessionCookie(request.headers));
}

// A check that found a valid session: its record, its user, what the
// check cost.
export type ActiveSession = Extract<CurrentSession, { status: "valid" }>;

// Server actions and route handlers only: Server Components cannot set
// cookies. A sign-in always makes a new record (no fixation), and ends the
// one this browser had, if any. Refused when the password was changed
// since `user` was checked (lib/auth/credential-version.ts).
export async function startSession(user: CredentialHolder): Promise<Result<SessionRecord>> {
  const client = clientInfo(await headers());
  await endCurrentSession();
  const created = await createSession(user, client);
  if (!created) return refuseSupersededSignIn(user, "session", client);
  await setSessionCookie(created.token);
  return { ok: true, value: created.session };
}

// Deletes this browser's record (if valid) and its cookie (if any). With
// the store unreachable it refuses: dropping only the cookie would report a
// sign-out while the record, and any copy of the cookie, stays valid.
// The record goes first: if deleting it fails, the cookie must stay too
// (Next would still send a cookie already cleared in this request).
// `checked`: the request's session when the caller has checked it already
// (a route handler behind withSession), so it is not checked twice.
export async function endCurrentSession(checked?: ActiveSession): Promise<ActiveSession | null> {
  const current = checked ?? (await getCurrentSession());
  if (current.status === "unavailable") throw new DatabaseUnavailable();
  if (current.status === "valid") await invalidateSession(current.session.id);
  if (current.hadCookie) await clearSessionCookie();
  return current.status === "valid" ? current : null;
}

// For protected pages and actions: the session, or a redirect to sign in
// and back. A store that does not answer is an error, not a signed-out
// visitor (proxy.ts answers such page requests with 503 before rendering).
export async function requireSession(path: string): Promise<ActiveSession> {
  const current = await getCurrentSession();
  if (current.status === "valid") return current;
  if (current.status === "unavailable") throw new DatabaseUnavailable();
  const query = new URLSearchParams({ next: path });
  if (current.hadCookie) query.set("reason", current.reason);
  redirect(`/login?${query}`);
}
