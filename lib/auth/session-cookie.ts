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

// Built once, not per request: "is our cookie in the raw Cookie header?"
const RAW_COOKIE: Record<string, RegExp> = Object.fromEntries(
  [false, true].map((secure) => [sessionCookieName(secure), new RegExp(`(^|;\\s*)${sessionCookieName(secure)}=`)]),
);

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

// Whether `unsealSessionCookie` would answer this value from memory.
export function wasUnsealedBefore(value: string, passwords: Passwords = config().secrets.sessionPasswords): boolean {
  return unsealedCookies.get(passwords)?.has(value) ?? false;
}

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

// The cookie this request carries, and whether the browser sent one at all:
// a value the cookie parser could not decode is dropped by it, but is still
// in the browser and still worth clearing. cookies(), not the raw header:
// after a server action sets a new cookie (sign-in, password change), the
// page re-rendered in the same request must see the new one.
export async function readSessionCookie(): Promise<{ value: string | null; hadCookie: boolean }> {
  const requestHeaders = await headers();
  const name = sessionCookieName(isSecureRequest(requestHeaders));
  const cookie = (await cookies()).get(name);
  const hadCookie = cookie !== undefined || RAW_COOKIE[name]!.test(requestHeaders.get("cookie") ?? "");
  return { value: cookie?.value ?? null, hadCookie };
}
