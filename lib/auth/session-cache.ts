// A server session with a short-lived sealed copy of it in a second cookie
// (Better Auth's cookieCache, Lucia's "stateless tokens" guide, Clerk's
// 60-second session token over a long-lived client token): while the copy
// is fresh the session store is not read; once it is stale the row is read
// and the copy sealed again. So revoking the row takes effect when the copy
// expires, not at the next request: the window is the copy's lifetime
// (LAB_COOKIE_CACHE_TTL).
import { hash } from "node:crypto";
import { config } from "@/lib/config";
import { sealFormat } from "@/lib/auth/seal";
import {
  hashSessionToken,
  validateSessionToken,
  type SessionRecord,
  type SessionUser,
  type SessionValidation,
} from "@/lib/auth/session";

// The copy names the session token it was made for (by a hash of its hash),
// so it answers only beside that session's own cookie. Times in ms.
export type CachedSession = { sessionId: string; sub: string; email: string; tokenTag: string; cachedUntil: number };

const lifetimeMs = () => config().lab.cookieCacheTtlMs;

// Not the stored hash itself: a copy of this cookie must not hand anyone
// the key of the session's row.
const tokenTag = (token: string) => hash("sha256", `session-cache:${hashSessionToken(token)}`, "base64url");

const KIND = "session-cache";
const cachedSession = sealFormat<CachedSession>({
  ttlSeconds: () => Math.ceil(lifetimeMs() / 1000),
  maxLength: 2048,
  toData: (copy) => ({ kind: KIND, ...copy }),
  fromData: ({ kind, sessionId, sub, email, tokenTag: tag, cachedUntil }) =>
    kind === KIND &&
    typeof sessionId === "string" &&
    typeof sub === "string" &&
    typeof email === "string" &&
    typeof tag === "string" &&
    typeof cachedUntil === "number"
      ? { sessionId, sub, email, tokenTag: tag, cachedUntil }
      : null,
});

export async function sealSessionCopy(
  token: string,
  session: SessionRecord,
  user: SessionUser,
  now = new Date(),
): Promise<{ sealed: string; copy: CachedSession }> {
  const copy = {
    sessionId: session.id,
    sub: user.id,
    email: user.email,
    tokenTag: tokenTag(token),
    cachedUntil: now.getTime() + lifetimeMs(),
  };
  return { sealed: await cachedSession.seal(copy), copy };
}

export type CacheCheck =
  // Answered from the copy, without the store.
  | { source: "copy"; copy: CachedSession }
  // Answered from the store: `validation` says what the row said; a new
  // copy is sealed when it is valid.
  | { source: "store"; validation: SessionValidation; fresh: { sealed: string; copy: CachedSession } | null };

// `token`: the session token from the session cookie; `sealedCopy`: the
// cache cookie, if any.
export async function checkCachedSession(
  token: string,
  sealedCopy: string | null,
  now = new Date(),
): Promise<CacheCheck> {
  if (sealedCopy !== null) {
    const copy = cachedSession.unsealedBefore(sealedCopy) ?? (await cachedSession.unseal(sealedCopy));
    if (copy && now.getTime() < copy.cachedUntil && copy.tokenTag === tokenTag(token)) return { source: "copy", copy };
  }
  const validation = await validateSessionToken(token, now);
  const fresh =
    validation.status === "valid" ? await sealSessionCopy(token, validation.session, validation.user, now) : null;
  return { source: "store", validation, fresh };
}
