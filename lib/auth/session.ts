// Server-side sessions (OWASP Session Management Cheat Sheet): a 256-bit
// random token per sign-in, stored only as its SHA-256 hash, with an idle and
// an absolute limit. This module owns the session table; the cookie that
// carries the token is lib/auth/session-cookie.ts.
import { hash, randomBytes } from "node:crypto";
import { config, type SessionPolicy } from "@/lib/config";
import { formatDuration } from "@/lib/duration";
import { db, selectOne, toDate, type KeyedRead, type Tx } from "@/lib/db";
import { whileCredentialCurrent, type CredentialHolder } from "@/lib/auth/credential-version";
import { recordEvent } from "@/lib/auth/events";
import type { ClientInfo } from "@/lib/http";

export type SessionRecord = {
  id: string;
  tokenHash: string;
  userId: string;
  createdAt: Date;
  lastSeenAt: Date;
  absoluteExpiresAt: Date;
  ip: string | null;
  userAgent: string | null;
  // The user's credential version when it was signed in.
  credentialVersion: number;
  // Tokens a backend-for-frontend session holds, encrypted (lib/auth/bff.ts).
  heldTokens: string | null;
};

export type SessionUser = { id: string; email: string };

// "password_changed": made by a sign-in that checked the password just as
// it was being changed (the change itself deletes every other session).
export type InvalidReason = "missing" | "malformed" | "unknown" | "idle" | "absolute" | "password_changed";

export type SessionValidation =
  { status: "valid"; session: SessionRecord; user: SessionUser } | { status: "invalid"; reason: InvalidReason };

export type ExpiryDecision = { state: "active"; renew: boolean } | { state: "expired"; reason: "idle" | "absolute" };

export function generateSessionToken(): string {
  return randomBytes(32).toString("base64url");
}

// A fast hash is right here: the token has 256 bits of entropy, so there is
// nothing to brute-force, unlike a password. crypto.hash, the one-shot
// form: no Hash object per request.
export function hashSessionToken(token: string): string {
  return hash("sha256", token, "hex");
}

export function idleExpiresAt(session: Pick<SessionRecord, "lastSeenAt">, policy: SessionPolicy): Date {
  return new Date(session.lastSeenAt.getTime() + policy.idleTimeoutMs);
}

export function decideExpiry(
  session: Pick<SessionRecord, "lastSeenAt" | "absoluteExpiresAt">,
  now: Date,
  policy: SessionPolicy,
): ExpiryDecision {
  if (now.getTime() >= session.absoluteExpiresAt.getTime()) return { state: "expired", reason: "absolute" };
  if (now.getTime() >= idleExpiresAt(session, policy).getTime()) return { state: "expired", reason: "idle" };
  return { state: "active", renew: now.getTime() - session.lastSeenAt.getTime() >= policy.renewIntervalMs };
}

// Null when the password changed after `user` was read with it: that
// sign-in checked a password that is no longer the account's.
export async function createSession(
  user: CredentialHolder,
  client: ClientInfo,
  now = new Date(),
): Promise<{ token: string; session: SessionRecord } | null> {
  const token = generateSessionToken();
  const session = await whileCredentialCurrent(user, (tx: Tx) =>
    tx.session.create({
      data: {
        tokenHash: hashSessionToken(token),
        userId: user.id,
        createdAt: now,
        lastSeenAt: now,
        absoluteExpiresAt: new Date(now.getTime() + config().session.absoluteTimeoutMs),
        ip: client.ip,
        userAgent: client.userAgent,
        credentialVersion: user.credentialVersion,
      },
    }),
  );
  return session && { token, session };
}

type SessionRow = Omit<SessionRecord, "createdAt" | "lastSeenAt" | "absoluteExpiresAt"> & {
  createdAt: unknown;
  lastSeenAt: unknown;
  absoluteExpiresAt: unknown;
  email: string;
  userCredentialVersion: number;
};

// The session and its user in one indexed read through the driver (see
// selectOne): Prisma's `include` runs two queries and costs ~1.2 ms here.
// On PostgreSQL the reads of requests that arrive together go as one query.
const COLUMNS = `s."id", s."tokenHash", s."userId", s."createdAt", s."lastSeenAt", s."absoluteExpiresAt", s."ip", s."userAgent",
  s."credentialVersion", s."heldTokens", u."email", u."credentialVersion" AS "userCredentialVersion"`;
const SESSION_WITH_USER: KeyedRead = {
  sql: `SELECT ${COLUMNS} FROM "Session" s JOIN "User" u ON u."id" = s."userId" WHERE s."tokenHash" = ?`,
  batch: `SELECT k."i", ${COLUMNS}
    FROM unnest($1::text[]) WITH ORDINALITY AS k("tokenHash", "i")
    JOIN "Session" s ON s."tokenHash" = k."tokenHash" JOIN "User" u ON u."id" = s."userId"`,
};

type SessionWithUser = { session: SessionRecord; user: SessionUser; userCredentialVersion: number };

async function findSessionWithUser(tokenHash: string): Promise<SessionWithUser | null> {
  const row = await selectOne<SessionRow>(SESSION_WITH_USER, [tokenHash]);
  // The index lookup already matched it; checked again so that a row can
  // never answer another request's token, however the read was batched.
  if (!row || row.tokenHash !== tokenHash) return null;
  const { email, userCredentialVersion, ...rest } = row;
  const session = {
    ...rest,
    // Integers from either driver; compared with !== below.
    credentialVersion: Number(rest.credentialVersion),
    createdAt: toDate(rest.createdAt),
    lastSeenAt: toDate(rest.lastSeenAt),
    absoluteExpiresAt: toDate(rest.absoluteExpiresAt),
  };
  return { session, user: { id: session.userId, email }, userCredentialVersion: Number(userCredentialVersion) };
}

// One indexed read per request; a write only when last-seen is older than the
// renewal interval, or to delete a record found expired (or made under a
// password since replaced).
export async function validateSessionToken(token: string, now = new Date()): Promise<SessionValidation> {
  const found = await findSessionWithUser(hashSessionToken(token));
  if (!found) return { status: "invalid", reason: "unknown" };
  const { session, user } = found;
  const decision = decideExpiry(session, now, config().session);
  const ended =
    session.credentialVersion !== found.userCredentialVersion
      ? "password_changed"
      : decision.state === "expired"
        ? decision.reason
        : null;
  if (ended) {
    await db().session.deleteMany({ where: { id: session.id } });
    await recordEvent({
      type: "session.expired",
      userId: user.id,
      mechanism: "session",
      detail: { reason: ended, session: session.id },
    });
    return { status: "invalid", reason: ended };
  }
  if (decision.state === "active" && decision.renew) {
    await db().session.updateMany({ where: { id: session.id }, data: { lastSeenAt: now } });
    session.lastSeenAt = now;
  }
  return { status: "valid", session, user };
}

export async function invalidateSession(sessionId: string): Promise<void> {
  await db().session.deleteMany({ where: { id: sessionId } });
}

// Only the owner's sessions: the handle comes from the client.
export async function invalidateUserSession(userId: string, sessionId: string): Promise<boolean> {
  const { count } = await db().session.deleteMany({ where: { id: sessionId, userId } });
  return count > 0;
}

export async function invalidateUserSessions(
  userId: string,
  options: { except?: string } = {},
  writer: Pick<Tx, "session"> = db(),
): Promise<number> {
  const { count } = await writer.session.deleteMany({
    where: { userId, ...(options.except ? { id: { not: options.except } } : {}) },
  });
  return count;
}

// Active sessions only; expired ones are left for their next lookup to delete.
export async function listUserSessions(userId: string, now = new Date()): Promise<SessionRecord[]> {
  const policy = config().session;
  const rows = await db().session.findMany({
    where: {
      userId,
      absoluteExpiresAt: { gt: now },
      lastSeenAt: { gt: new Date(now.getTime() - policy.idleTimeoutMs) },
    },
    orderBy: { lastSeenAt: "desc" },
  });
  return rows;
}

// What the dashboard and /api/session show: never the token, never the
// whole hash.
export function describeSession(session: SessionRecord, currentId?: string) {
  const policy = config().session;
  return {
    id: session.id,
    tokenHashPrefix: session.tokenHash.slice(0, 12),
    createdAt: session.createdAt.toISOString(),
    lastSeenAt: session.lastSeenAt.toISOString(),
    idleExpiresAt: idleExpiresAt(session, policy).toISOString(),
    absoluteExpiresAt: session.absoluteExpiresAt.toISOString(),
    ip: session.ip,
    userAgent: session.userAgent,
    current: session.id === currentId,
  };
}

export type SessionView = ReturnType<typeof describeSession>;

// A signed-in session as the session API answers it (GET and POST
// /api/session): who, which record (hash prefix only), and the policy.
export function describeSignedIn(user: SessionUser, session: SessionRecord) {
  const { idleTimeoutMs, absoluteTimeoutMs, renewIntervalMs } = config().session;
  return {
    user: { id: user.id, email: user.email },
    session: describeSession(session, session.id),
    policy: {
      idleTimeoutSeconds: idleTimeoutMs / 1000,
      absoluteTimeoutSeconds: absoluteTimeoutMs / 1000,
      renewIntervalSeconds: renewIntervalMs / 1000,
    },
  };
}

export type SignedInView = ReturnType<typeof describeSignedIn>;

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
    case "password_changed":
      return "The account's password was changed after this session began; sign in with the new one.";
  }
}
