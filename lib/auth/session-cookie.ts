// The session cookie: its name and attributes, sealing the token with
// iron-session and unsealing it (remembering what unsealed), and setting,
// clearing and reading it on the current request. Only this module touches
// the cookie; lib/auth/current-session.ts decides what it means.
import { cookies, headers } from "next/headers";
import { sealData, unsealData } from "iron-session";
import { config } from "@/lib/config";
import { sessionCookieName } from "@/lib/cookie-names";
import { LruCache } from "@/lib/lru";
import { isSecureRequest } from "@/lib/http";

// A sealed 43-character token is ~300 characters; anything far larger is not
// ours and is not worth the cost of unsealing.
const MAX_COOKIE_LENGTH = 1024;

export type SealedSession = { token: string };

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
// the cache under endless spellings. iron's fields are Fe26.2*<password id>*
// <salt>*<iv>*<ciphertext>*<expiration>*<hmac salt>*<hmac>; the expiration
// (ms since 1970) bounds how long the value is remembered.
const CANONICAL_SEAL = /^Fe26\.2(?:\*[\w-]*){4}\*(\d+)(?:\*[\w-]*){2}~2$/;
const unsealedCookies = new WeakMap<Passwords, LruCache<string, { token: string; expiresAt: number }>>();

// The token this value unsealed to before, while its seal is unexpired; null
// if it must be unsealed (unsealSessionCookie). Synchronous, so a request
// whose cookie was seen before does not wait a turn for it.
export function unsealedBefore(value: string, passwords: Passwords = config().secrets.sessionPasswords): string | null {
  const known = unsealedCookies.get(passwords)?.get(value);
  return known && Date.now() < known.expiresAt ? known.token : null;
}

// Any failure (tampered, truncated, sealed with an unknown password, expired
// seal, not a seal at all) means "no session", never an error.
export async function unsealSessionCookie(
  value: string,
  passwords: Passwords = config().secrets.sessionPasswords,
): Promise<string | null> {
  if (value.length > MAX_COOKIE_LENGTH) return null;
  const known = unsealedBefore(value, passwords);
  if (known) return known;
  let cache = unsealedCookies.get(passwords);
  if (!cache) unsealedCookies.set(passwords, (cache = new LruCache(UNSEALED_CACHE_SIZE)));
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
  const canonical = CANONICAL_SEAL.exec(value);
  if (token && canonical) cache.set(value, { token, expiresAt: Number(canonical[1]) });
  else cache.delete(value);
  return token;
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
