// A stateless session: everything the server needs sealed inside the cookie
// (iron-session's own design, and Auth.js's default "jwt" session strategy),
// so a check reads no store. The price is revocation: nothing on the server
// can end one cookie before it expires, so a copy taken before a sign-out
// keeps working until then. The usual mitigation is a per-user "valid
// after" stamp (`{ stamped: true }`): every cookie of the user sealed
// before it is refused, which brings back one read per request, by user id.
import { config } from "@/lib/config";
import { MAX_COOKIE_BYTES } from "@/lib/cookie-names";
import { db, selectOne, toDate, type KeyedRead } from "@/lib/db";
import type { Failure, Result } from "@/lib/errors";
import { sealFormat } from "@/lib/auth/seal";
import type { SessionUser } from "@/lib/auth/session";

// Times in milliseconds since 1970. `profile`: what an app keeps about the
// user in the cookie (roles, preferences, a name); only the strategies lab
// sets one, to find where a cookie stops fitting.
export type SealedSession = { sub: string; email: string; issuedAt: number; expiresAt: number; profile?: string };

export type SealedSessionError = Failure<"malformed" | "expired" | "revoked">;

// As long as a server session may live (SESSION_ABSOLUTE_TIMEOUT), so the
// two are compared on equal terms; there is no idle limit without state.
const lifetimeMs = () => config().session.absoluteTimeoutMs;

const KIND = "sealed-session";
const sealedSession = sealFormat<SealedSession>({
  ttlSeconds: () => Math.floor(lifetimeMs() / 1000),
  // No browser sends a longer cookie, and none is set (lib/cookie-names.ts).
  maxLength: MAX_COOKIE_BYTES,
  toData: (session) => ({ kind: KIND, ...session }),
  fromData: ({ kind, sub, email, issuedAt, expiresAt, profile }) =>
    kind === KIND &&
    typeof sub === "string" &&
    typeof email === "string" &&
    typeof issuedAt === "number" &&
    typeof expiresAt === "number" &&
    (profile === undefined || typeof profile === "string")
      ? { sub, email, issuedAt, expiresAt, ...(profile !== undefined && { profile }) }
      : null,
});

export async function sealSession(
  user: SessionUser,
  now = new Date(),
  profile?: string,
): Promise<{ sealed: string; session: SealedSession }> {
  const session = {
    sub: user.id,
    email: user.email,
    issuedAt: now.getTime(),
    expiresAt: now.getTime() + lifetimeMs(),
    ...(profile !== undefined && { profile }),
  };
  return { sealed: await sealedSession.seal(session), session };
}

// Whether this value was unsealed before (Server-Timing tells the two apart).
export function sealedSessionSeenBefore(sealed: string): boolean {
  return sealedSession.unsealedBefore(sealed) !== null;
}

const VALID_AFTER: KeyedRead = {
  sql: `SELECT "validAfter" FROM "ValidAfterStamp" WHERE "userId" = ?`,
  batch: `SELECT k."i", v."validAfter" FROM unnest($1::text[]) WITH ORDINALITY AS k("userId", "i")
    JOIN "ValidAfterStamp" v ON v."userId" = k."userId"`,
};

// The seal's own expiry is checked by iron-session with a minute's leeway
// for clock skew; `expiresAt` is the exact one.
export async function openSealedSession(
  sealed: string,
  options: { stamped: boolean; now?: Date },
): Promise<Result<SealedSession, SealedSessionError>> {
  const now = options.now ?? new Date();
  const session = sealedSession.unsealedBefore(sealed) ?? (await sealedSession.unseal(sealed));
  if (!session) return { ok: false, error: { code: "malformed", description: "The cookie is not a valid seal." } };
  if (now.getTime() >= session.expiresAt)
    return { ok: false, error: { code: "expired", description: "The sealed session has expired." } };
  if (options.stamped) {
    const stamp = await selectOne<{ validAfter: unknown }>(VALID_AFTER, [session.sub]);
    if (stamp && session.issuedAt <= toDate(stamp.validAfter).getTime())
      return {
        ok: false,
        error: {
          code: "revoked",
          description: "Every sealed session of this user from before a revocation is refused.",
        },
      };
  }
  return { ok: true, value: session };
}

// Refuses every sealed session of the user sealed up to `now`, on the
// servers that check the stamp.
export async function stampValidAfter(userId: string, now = new Date()): Promise<void> {
  await db().validAfterStamp.upsert({
    where: { userId },
    create: { userId, validAfter: now },
    update: { validAfter: now },
  });
}
