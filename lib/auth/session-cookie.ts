// The session cookie: its name and attributes, sealing the token with
// iron-session and unsealing it (remembering what unsealed), and setting,
// clearing and reading it on the current request. Only this module touches
// the cookie; lib/auth/current-session.ts decides what it means.
import { cookies, headers } from "next/headers";
import { config } from "@/lib/config";
import { sessionCookieName } from "@/lib/cookie-names";
import { sealFormat, type Passwords } from "@/lib/auth/seal";
import { isSecureRequest } from "@/lib/http";
import type { CheckKind } from "@/lib/server-timing";

// Over https: Secure, and the __Host- name (lib/cookie-names.ts), which the
// browser refuses unless the cookie is Secure, host-only and Path=/, so no
// subdomain or plain-http page can plant or overwrite it.
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

// The cookie holds only the session's random token (43 characters).
const sessionSeal = sealFormat<string>({
  ttlSeconds: () => Math.floor(config().session.absoluteTimeoutMs / 1000),
  // A sealed token is ~300 characters; anything far larger is not ours and
  // is not worth the cost of unsealing.
  maxLength: 1024,
  toData: (token) => ({ token }),
  fromData: ({ token }) => (typeof token === "string" && token.length === 43 ? token : null),
});

export function sealSessionToken(token: string, passwords?: Passwords): Promise<string> {
  return sessionSeal.seal(token, passwords);
}

// The token this value unsealed to before (lib/auth/seal.ts remembers);
// null if it must be unsealed.
export function unsealedBefore(value: string, passwords?: Passwords): string | null {
  return sessionSeal.unsealedBefore(value, passwords);
}

// Any failure means "no session", never an error. The session row is still
// read on every request, so remembering the unsealed token delays no
// revocation by a second.
export function unsealSessionCookie(value: string, passwords?: Passwords): Promise<string | null> {
  return sessionSeal.unseal(value, passwords);
}

// The session token in a cookie's value (null: none sent, or not a seal of
// ours), and whether this instance unsealed the same value before.
export async function openSessionCookie(value: string | null): Promise<{ token: string | null; kind: CheckKind }> {
  if (value === null) return { token: null, kind: "none" };
  const remembered = unsealedBefore(value);
  if (remembered) return { token: remembered, kind: "seen before" };
  return { token: await unsealSessionCookie(value), kind: "first sight" };
}

// Server actions and route handlers only: Server Components cannot set cookies.
export async function setSessionCookie(token: string): Promise<void> {
  const secure = isSecureRequest(await headers());
  (await cookies()).set(sessionCookieName(secure), await sealSessionToken(token), sessionCookieAttributes(secure));
}

export async function clearSessionCookie(): Promise<void> {
  const secure = isSecureRequest(await headers());
  (await cookies()).set(sessionCookieName(secure), "", { ...sessionCookieAttributes(secure), maxAge: 0 });
}

export type SessionCookie = { value: string | null; hadCookie: boolean };

// The session cookie in a Cookie header, parsed as Next's cookies() parses
// it (pairs split at ";" and the spaces after it, the name up to the first
// "=", the value URI-decoded; a value that does not decode is dropped; the
// last of the same name wins), so pages and route handlers read the same
// value.
// `hadCookie`: the browser sent one at all, even one that did not decode,
// which is still in the browser and still worth clearing.
export function findSessionCookie(header: string | null, name: string): SessionCookie {
  let value: string | null = null;
  let hadCookie = false;
  for (const pair of header?.split(/; */) ?? []) {
    const at = pair.indexOf("=");
    // A bare name: cookies() reads it as the value "true" (never a seal).
    if ((at === -1 ? pair : pair.slice(0, at)) !== name) continue;
    hadCookie = true;
    try {
      value = at === -1 ? "true" : decodeURIComponent(pair.slice(at + 1));
    } catch {
      // dropped, as cookies() drops it
    }
  }
  return { value, hadCookie };
}

// Route handlers: straight from the request they were given. Next's
// cookies() builds a request-scoped cookie store on first use, which cost
// ~30 µs of CPU per request under load on the session route
// (docs/decisions.md §41).
export function readRequestSessionCookie(headers: Headers): SessionCookie {
  return findSessionCookie(headers.get("cookie"), sessionCookieName(isSecureRequest(headers)));
}

// Everywhere else (pages, layouts, server actions, and handlers that sign
// in or out, whose session may have changed in this request): cookies(),
// not the raw header: after an action sets a new cookie (sign-in, password
// change), the page rendered in the same request must see the new one.
export async function readSessionCookie(): Promise<SessionCookie> {
  const requestHeaders = await headers();
  const name = sessionCookieName(isSecureRequest(requestHeaders));
  const cookie = (await cookies()).get(name);
  if (cookie) return { value: cookie.value, hadCookie: true };
  return { value: null, hadCookie: findSessionCookie(requestHeaders.get("cookie"), name).hadCookie };
}
