// The session cookie and the current request: seal the token with
// iron-session, set and clear the cookie with the right attributes, and read
// the session once per request. Only this module touches the cookie.
import { cache } from "react";
import { cookies, headers } from "next/headers";
import { sealData, unsealData } from "iron-session";
import { redirect } from "next/navigation";
import { config } from "@/lib/config";
import { formatDuration } from "@/lib/duration";
import { describeSeal, parseSeal } from "@/lib/iron-format";
import { LruCache } from "@/lib/lru";
import { DATABASE_UNAVAILABLE, errorResponse } from "@/lib/errors";
import { DatabaseUnavailable, isDatabaseUnavailable } from "@/lib/faults";
import { checkSameOrigin, clientInfo, isSecureRequest, route, serverTiming } from "@/lib/http";
import {
  createSession,
  hashSessionToken,
  invalidateSession,
  validateSessionToken,
  type InvalidReason,
  type SessionRecord,
  type SessionUser,
  type SessionValidation,
} from "@/lib/auth/session";

const COOKIE_BASE_NAME = "svj_session";
// A sealed 43-character token is ~300 characters; anything far larger is not
// ours and is not worth the cost of unsealing.
const MAX_COOKIE_LENGTH = 1024;

export type SealedSession = { token: string };

// Built once, not per request: "is our cookie in the raw Cookie header?"
const RAW_COOKIE: Record<string, RegExp> = Object.fromEntries(
  [false, true].map((secure) => [sessionCookieName(secure), new RegExp(`(^|;\\s*)${sessionCookieName(secure)}=`)]),
);

// Over https the cookie is Secure and carries the __Host- prefix, which makes
// the browser refuse it unless it is Secure, host-only and Path=/: no
// subdomain or plain-http page can plant or overwrite it.
export function sessionCookieName(secure: boolean): string {
  return secure ? `__Host-${COOKIE_BASE_NAME}` : COOKIE_BASE_NAME;
}

export function sessionCookieAttributes(secure: boolean) {
  return {
    httpOnly: true,
    // Lax: sent on top-level navigation from other sites (links keep working),
    // never on their cross-site POSTs, images or fetches.
    sameSite: "lax" as const,
    path: "/",
    secure,
    maxAge: Math.floor(config().session.absoluteTimeoutMs / 1000),
  };
}

type Passwords = Record<string, string>;

export function sealSessionToken(
  token: string,
  passwords: Passwords = config().secrets.sessionPasswords,
): Promise<string> {
  return sealData({ token } satisfies SealedSession, {
    password: passwords,
    ttl: Math.floor(config().session.absoluteTimeoutMs / 1000),
  });
}

// Unsealing derives two keys with PBKDF2 and checks an HMAC: the larger part
// of a session check. A cookie value that unsealed once is remembered, per
// password set and until the seal's own expiry: the same bytes unseal to the
// same token, and only values that passed the HMAC check get in, so a forged
// cookie still pays the full price and changes nothing here. The session row
// is still read on every request, so revocation is not delayed by a second.
const UNSEALED_CACHE_SIZE = 10_000;
// Only the exact form iron-session writes is remembered: iron-session also
// accepts trailing junk after "~2", which would let one valid cookie fill
// the cache under endless spellings.
const CANONICAL_SEAL = /^Fe26\.2(\*[\w-]*){7}~2$/;
const unsealedCookies = new WeakMap<Passwords, LruCache<string, { token: string; expiresAt: number }>>();

// Any failure (tampered, truncated, sealed with an unknown password, expired
// seal, not a seal at all) means "no session", never an error.
export async function unsealSessionCookie(
  value: string,
  passwords: Passwords = config().secrets.sessionPasswords,
): Promise<string | null> {
  if (value.length > MAX_COOKIE_LENGTH) return null;
  let cache = unsealedCookies.get(passwords);
  if (!cache) unsealedCookies.set(passwords, (cache = new LruCache(UNSEALED_CACHE_SIZE)));
  const known = cache.get(value);
  if (known && Date.now() < known.expiresAt) return known.token;
  let token: string | null = null;
  try {
    const data = await unsealData<Partial<SealedSession>>(value, {
      password: passwords,
      ttl: Math.floor(config().session.absoluteTimeoutMs / 1000),
    });
    token = typeof data.token === "string" && data.token.length === 43 ? data.token : null;
  } catch {
    token = null;
  }
  const seal = parseSeal(value);
  if (token && seal.ok && seal.expiresAt && CANONICAL_SEAL.test(value))
    cache.set(value, { token, expiresAt: seal.expiresAt.getTime() });
  else cache.delete(value);
  return token;
}

// "unavailable": the cookie may be fine but the session store did not
// answer, so nothing is known; every caller must fail closed on it.
export type CurrentSession = (SessionValidation | { status: "unavailable" }) & { hadCookie: boolean; checkMs: number };

async function readCurrentSession(): Promise<CurrentSession> {
  const started = performance.now();
  const requestHeaders = await headers();
  const name = sessionCookieName(isSecureRequest(requestHeaders));
  // cookies(), not the raw header: after a server action sets a new cookie
  // (sign-in, password change), the page re-rendered in the same request
  // must see the new one.
  const cookie = (await cookies()).get(name);
  // A value the cookie parser could not decode is dropped by it, but is
  // still in the browser and still worth clearing.
  const hadCookie = cookie !== undefined || RAW_COOKIE[name]!.test(requestHeaders.get("cookie") ?? "");
  const finish = (result: SessionValidation | { status: "unavailable" }): CurrentSession => ({
    ...result,
    hadCookie,
    checkMs: performance.now() - started,
  });
  if (!cookie) return finish({ status: "invalid", reason: "missing" });
  const token = await unsealSessionCookie(cookie.value);
  if (!token) return finish({ status: "invalid", reason: "malformed" });
  try {
    return finish(await validateSessionToken(token));
  } catch (error) {
    if (isDatabaseUnavailable(error)) return finish({ status: "unavailable" });
    throw error;
  }
}

// Pages, layouts and actions in one request share one check.
export const getCurrentSession = cache(readCurrentSession);

export type ActiveSession = { session: SessionRecord; user: SessionUser; checkMs: number };

// What a person is told when their session is not accepted.
export function invalidSessionMessage(reason: InvalidReason): string {
  const { idleTimeoutMs, absoluteTimeoutMs } = config().session;
  switch (reason) {
    case "missing":
      return "Sign in with a session first.";
    case "malformed":
      return "The session cookie is not valid (altered, truncated, or sealed with a password this server no longer has).";
    case "unknown":
      return "This session has ended: it was signed out or revoked.";
    case "idle":
      return `The session expired after ${formatDuration(idleTimeoutMs)} without activity.`;
    case "absolute":
      return `The session reached its ${formatDuration(absoluteTimeoutMs)} limit.`;
  }
}

// Server actions and route handlers only: Server Components cannot set
// cookies. A sign-in always makes a new record (no fixation), and ends the
// one this browser had, if any.
export async function startSession(userId: string): Promise<SessionRecord> {
  await endCurrentSession();
  const requestHeaders = await headers();
  const secure = isSecureRequest(requestHeaders);
  const { token, session } = await createSession(userId, clientInfo(requestHeaders));
  (await cookies()).set(sessionCookieName(secure), await sealSessionToken(token), sessionCookieAttributes(secure));
  return session;
}

export async function clearSessionCookie(): Promise<void> {
  const secure = isSecureRequest(await headers());
  (await cookies()).set(sessionCookieName(secure), "", { ...sessionCookieAttributes(secure), maxAge: 0 });
}

// Deletes this browser's record (if valid) and its cookie (if any). With
// the store unreachable it refuses: dropping only the cookie would report a
// sign-out while the record, and any copy of the cookie, stays valid.
// The record goes first: if deleting it fails, the cookie must stay too
// (Next would still send a cookie already cleared in this request).
export async function endCurrentSession(): Promise<ActiveSession | null> {
  const current = await getCurrentSession();
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

type SessionHandler<C> = (request: Request, context: C, auth: ActiveSession) => Promise<Response>;

// Protects a route handler in one line. State-changing handlers also refuse
// cross-site requests. Every answer carries the check's cost in Server-Timing;
// a rejected cookie is cleared.
export function withSession<C>(handler: SessionHandler<C>, options: { changesState: boolean }) {
  return route<C>(async (request, context) => {
    if (options.changesState) {
      const sameOrigin = checkSameOrigin(request.headers);
      if (!sameOrigin.ok) return errorResponse(sameOrigin.error);
    }
    const current = await getCurrentSession();
    const timing = serverTiming("session", current.checkMs);
    if (current.status === "unavailable")
      return errorResponse(DATABASE_UNAVAILABLE, { headers: { "Server-Timing": timing } });
    if (current.status !== "valid") {
      if (current.hadCookie) await clearSessionCookie();
      return errorResponse(
        { code: "login_required", description: invalidSessionMessage(current.reason) },
        { headers: { "Server-Timing": timing } },
      );
    }
    const response = await handler(request, context, current);
    response.headers.append("Server-Timing", timing);
    return response;
  });
}

// The sealed cookie value this request carried, for server-side use only
// (the dashboard's scenarios replay it from a second client). Never put it
// in a response: it is the credential, and HttpOnly exists to keep it from
// page script.
export async function currentSessionCookieValue(): Promise<string | null> {
  return (await cookies()).get(sessionCookieName(isSecureRequest(await headers())))?.value ?? null;
}

// For the dashboard: the cookie as this request carried it, taken apart,
// without anything that could be used as it: sizes, field names, short
// prefixes of the random fields, and a prefix of the token's hash (what the
// session table stores). Handing page script the sealed value would undo
// HttpOnly: any script on the page (XSS, a bad dependency) could replay it.
export async function inspectSessionCookie() {
  const secure = isSecureRequest(await headers());
  const name = sessionCookieName(secure);
  const value = (await currentSessionCookieValue()) ?? "";
  const token = await unsealSessionCookie(value);
  const { maxAge, ...attributes } = sessionCookieAttributes(secure);
  return {
    name,
    headerBytes: new TextEncoder().encode(`${name}=${value}`).length,
    attributes: { ...attributes, maxAgeSeconds: maxAge },
    seal: describeSeal(value),
    unsealed: token ? { tokenLength: token.length, tokenHashPrefix: hashSessionToken(token).slice(0, 12) } : null,
  };
}
