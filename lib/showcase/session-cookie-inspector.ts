// For the dashboard: the session cookie as this request carried it, taken
// apart, without anything that could be used as it: sizes, field names,
// short prefixes of the random fields, and a prefix of the token's hash
// (what the session table stores). Handing page script the sealed value
// would undo HttpOnly: any script on the page (XSS, a bad dependency) could
// replay it.
import "server-only";
import { hashSessionToken } from "@/lib/auth/session";
import { headers } from "next/headers";
import { readSessionCookie, sessionCookieAttributes, unsealSessionCookie } from "@/lib/auth/session-cookie";
import { sessionCookieName } from "@/lib/cookie-names";
import { isSecureRequest } from "@/lib/http";
import { describeSeal } from "@/lib/showcase/iron-format";

export async function inspectSessionCookie() {
  const secure = isSecureRequest(await headers());
  const name = sessionCookieName(secure);
  const value = (await readSessionCookie()).value ?? "";
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

export type SessionCookieInspection = Awaited<ReturnType<typeof inspectSessionCookie>>;
