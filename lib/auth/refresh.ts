// Refresh tokens (OAuth 2.0 Security BCP, RFC 9700 §4.14): opaque 256-bit
// values stored as SHA-256 hashes, grouped in families, rotated on every use.
// A spent token presented again means either a reply that never arrived (a
// crash, a timeout, a dropped connection) or a copy somewhere else. Within a
// short grace window, the latest spent token is answered with the successor
// it already has; otherwise the whole family is revoked.
import { createHash, createHmac, hkdfSync, randomBytes } from "node:crypto";
import { config } from "@/lib/config";
import { db, inTransaction, type Tx } from "@/lib/db";
import { whileCredentialCurrent, type CredentialHolder } from "@/lib/auth/credential-version";
import { recordEvent } from "@/lib/auth/events";
import { reuseGraceMs } from "@/lib/auth/clients";
import type { Failure, Result } from "@/lib/errors";
import type { ClientInfo } from "@/lib/http";

// `dpopJkt`: the key the family is bound to; its access tokens carry it.
export type RefreshIssue = {
  token: string;
  familyId: string;
  generation: number;
  expiresAt: Date;
  dpopJkt: string | null;
};

export type RotationFailure =
  | "unknown" // never issued, or its family was deleted
  | "expired"
  | "family_revoked"
  | "concurrent_rotation" // spent moments ago, but its successor cannot be derived again: refused, family kept
  | "reuse_detected" // spent earlier, or not the latest spent one: the family is revoked now
  | "client_mismatch" // presented by another client than the one it was issued to (RFC 6749 §6)
  | "dpop_key_mismatch"; // bound to a DPoP key, and not presented with a proof signed by it (RFC 9449 §5)

export type RotationError = Failure<RotationFailure>;

// `replayed`: the presented token was spent moments ago and this is the
// successor that rotation issued then, handed out again.
export type RotationResult = Result<
  RefreshIssue & { user: { id: string; email: string }; clientId: string; replayed: boolean },
  RotationError
>;

const ROTATION_MESSAGES: Record<RotationFailure, string> = {
  unknown: "The refresh token is not valid.",
  expired: "The refresh token expired; sign in again.",
  family_revoked: "The refresh token was revoked; sign in again.",
  concurrent_rotation: "The refresh token was rotated moments ago; use the newer one.",
  reuse_detected: "The refresh token was already used. Its whole family is now revoked; sign in again.",
  client_mismatch: "The refresh token was issued to another client.",
  dpop_key_mismatch: "The refresh token is bound to a DPoP key: send a DPoP proof signed by that key.",
};

function refused(code: RotationFailure): { ok: false; error: RotationError } {
  return { ok: false, error: { code, description: ROTATION_MESSAGES[code] } };
}

export type SpentDecision = "grace" | "reuse";

export function generateRefreshToken(): string {
  return randomBytes(32).toString("base64url");
}

export function hashRefreshToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

function successorKey(): Buffer {
  return Buffer.from(
    hkdfSync("sha256", config().secrets.authSecret, "session-vs-jwt refresh tokens", "successor-v1", 32),
  );
}

// A successor is not drawn at random but derived from the token it replaces
// (HMAC under a key from AUTH_SECRET): the same token always has the same
// successor, so it can be handed out again after a lost reply while the
// database still holds only hashes. Without the key, a spent token says
// nothing about its successor.
export function successorOf(token: string): string {
  return createHmac("sha256", successorKey()).update(token).digest("base64url");
}

// Pure, for the rotation state machine's edges: at exactly the grace limit
// the token is treated as stolen.
export function decideSpent(spentAt: Date, now: Date, graceMs: number): SpentDecision {
  return now.getTime() - spentAt.getTime() < graceMs ? "grace" : "reuse";
}

// A token lives REFRESH_TOKEN_TTL, but never past its family's end.
async function issueToken(
  token: string,
  familyId: string,
  generation: number,
  familyCreatedAt: Date,
  now: Date,
  writer: Pick<Tx, "refreshToken">,
): Promise<Omit<RefreshIssue, "dpopJkt">> {
  const { refreshTokenTtlMs, refreshFamilyTtlMs } = config().jwt;
  const expiresAt = new Date(
    Math.min(now.getTime() + refreshTokenTtlMs, familyCreatedAt.getTime() + refreshFamilyTtlMs),
  );
  await writer.refreshToken.create({
    data: { tokenHash: hashRefreshToken(token), familyId, generation, createdAt: now, expiresAt },
  });
  return { token, familyId, generation, expiresAt };
}

// `client`: the device signing in, for the device list. Null when the
// password changed after `user` was read with it (lib/auth/credential-version.ts).
// `dpopJkt`: the DPoP key the family is bound to (RFC 9449 §5), if any.
export async function startRefreshFamily(
  user: CredentialHolder,
  clientId: string,
  now = new Date(),
  client?: ClientInfo,
  dpopJkt: string | null = null,
): Promise<RefreshIssue | null> {
  return whileCredentialCurrent(user, async (tx) => {
    const family = await tx.refreshFamily.create({
      data: {
        userId: user.id,
        clientId,
        createdAt: now,
        lastUsedAt: now,
        ip: client?.ip,
        userAgent: client?.userAgent,
        credentialVersion: user.credentialVersion,
        dpopJkt,
      },
    });
    return { ...(await issueToken(generateRefreshToken(), family.id, 1, now, now, tx)), dpopJkt };
  });
}

// Every answered refresh, replays included, is the device being used.
function familyUsed(client: ClientInfo, now: Date) {
  return { lastUsedAt: now, ip: client.ip, userAgent: client.userAgent };
}

export async function revokeFamily(familyId: string, reason: string, now = new Date()): Promise<boolean> {
  const { count } = await db().refreshFamily.updateMany({
    where: { id: familyId, revokedAt: null },
    data: { revokedAt: now, revokedReason: reason },
  });
  return count > 0;
}

export async function revokeUserFamilies(
  userId: string,
  reason: string,
  now = new Date(),
  writer: Pick<Tx, "refreshFamily"> = db(),
): Promise<number> {
  const { count } = await writer.refreshFamily.updateMany({
    where: { userId, revokedAt: null },
    data: { revokedAt: now, revokedReason: reason },
  });
  return count;
}

export async function findFamilyByToken(token: string) {
  const row = await db().refreshToken.findUnique({
    where: { tokenHash: hashRefreshToken(token) },
    select: { familyId: true },
  });
  return row?.familyId ?? null;
}

type FamilyOf = {
  id: string;
  userId: string;
  clientId: string;
  createdAt: Date;
  credentialVersion: number;
  dpopJkt: string | null;
  user: { id: string; email: string; credentialVersion: number };
};

const publicUser = ({ user }: FamilyOf) => ({ id: user.id, email: user.email });

// Spending is one conditional UPDATE (spentAt IS NULL): of any number of
// simultaneous rotations with one token exactly one wins; the unique
// (family, generation) index backs this up. Spending and issuing the
// successor commit together: a failure between them (an outage) leaves the
// presented token unspent instead of spending it with nothing in return.
// `clientId`: the client that presents it, when it says (the form grant
// does); the token is then refused, and left as it was, if it is another's.
// `dpopJkt`: the key that signed the request's DPoP proof, if it had one;
// a family bound to a key accepts no other, and no request without one.
export async function rotateRefreshToken(
  token: string,
  client: ClientInfo,
  now = new Date(),
  clientId: string | null = null,
  dpopJkt: string | null = null,
): Promise<RotationResult> {
  const row = await db().refreshToken.findUnique({
    where: { tokenHash: hashRefreshToken(token) },
    include: { family: { include: { user: { select: { id: true, email: true, credentialVersion: true } } } } },
  });
  if (!row) return refused("unknown");
  const { family } = row;
  if (clientId && clientId !== family.clientId) return refused("client_mismatch");
  if (family.dpopJkt !== null && family.dpopJkt !== dpopJkt) return refused("dpop_key_mismatch");
  if (family.revokedAt) return refused("family_revoked");
  // Signed in with a password checked just as it was being changed: the
  // change revoked every family it could see, and this one now ends too.
  if (family.credentialVersion !== family.user.credentialVersion) {
    await revokeFamily(family.id, "password_changed", now);
    return refused("family_revoked");
  }
  if (row.spentAt) return answerSpent(token, { ...row, spentAt: row.spentAt }, family, client, now);
  if (row.expiresAt.getTime() <= now.getTime()) return refused("expired");

  // Conditional on the family too: a revocation racing this rotation wins.
  const next = await inTransaction(async (tx) => {
    const { count } = await tx.refreshToken.updateMany({
      where: { id: row.id, spentAt: null, family: { revokedAt: null } },
      data: { spentAt: now },
    });
    if (count === 0) return null;
    await tx.refreshFamily.update({ where: { id: family.id }, data: familyUsed(client, now) });
    return issueToken(successorOf(token), family.id, row.generation + 1, family.createdAt, now, tx);
  });
  if (!next) {
    const current = await db().refreshFamily.findUniqueOrThrow({
      where: { id: family.id },
      select: { revokedAt: true },
    });
    if (current.revokedAt) return refused("family_revoked");
    const spent = await db().refreshToken.findUniqueOrThrow({ where: { id: row.id }, select: { spentAt: true } });
    return answerSpent(token, { ...row, spentAt: spent.spentAt ?? now }, family, client, now);
  }
  return {
    ok: true,
    value: { ...next, dpopJkt: family.dpopJkt, user: publicUser(family), clientId: family.clientId, replayed: false },
  };
}

// A spent token shown again. Within the grace window, if it is the latest
// spent one (its successor is still unspent), the answer is that successor:
// the client missed the reply, or another tab of it won the race. Shown later,
// or behind a successor that was itself spent, it is a copy: the family ends.
// So does a second such answer in a row: an honest client loses a reply now
// and then, but a thief who rotates just before the owner at every refresh
// (so that the owner's refresh is always the one answered again) makes every
// generation a replay.
async function answerSpent(
  token: string,
  row: { id: string; generation: number; spentAt: Date },
  family: FamilyOf,
  client: ClientInfo,
  now: Date,
): Promise<RotationResult> {
  if (decideSpent(row.spentAt, now, reuseGraceMs(family.clientId)) === "reuse") {
    return revokeForReuse(family, client, now);
  }
  const successor = successorOf(token);
  const next = await db().refreshToken.findUnique({ where: { tokenHash: hashRefreshToken(successor) } });
  // Issued before successors were derived, or under another AUTH_SECRET.
  if (!next || next.familyId !== family.id || next.generation !== row.generation + 1) {
    return refused("concurrent_rotation");
  }
  if (next.spentAt) return revokeForReuse(family, client, now);
  if (next.expiresAt.getTime() <= now.getTime()) return refused("expired");
  const previousReplayed = await db().refreshToken.count({
    where: { familyId: family.id, generation: row.generation - 1, replayedAt: { not: null } },
  });
  if (previousReplayed > 0) return revokeForReuse(family, client, now);
  await db().refreshToken.updateMany({ where: { id: row.id, replayedAt: null }, data: { replayedAt: now } });
  await db().refreshFamily.update({ where: { id: family.id }, data: familyUsed(client, now) });
  return {
    ok: true,
    value: {
      token: successor,
      familyId: family.id,
      generation: next.generation,
      expiresAt: next.expiresAt,
      dpopJkt: family.dpopJkt,
      user: publicUser(family),
      clientId: family.clientId,
      replayed: true,
    },
  };
}

async function revokeForReuse(family: FamilyOf, client: ClientInfo, now: Date): Promise<RotationResult> {
  if (await revokeFamily(family.id, "reuse_detected", now)) {
    await recordEvent({
      type: "refresh.reuse_detected",
      userId: family.userId,
      mechanism: "jwt",
      client,
      detail: { family: family.id },
    });
  }
  return refused("reuse_detected");
}

export async function describeFamily(familyId: string) {
  const family = await db().refreshFamily.findUnique({
    where: { id: familyId },
    include: { tokens: { orderBy: { generation: "desc" }, take: 1 }, _count: { select: { tokens: true } } },
  });
  if (!family) return null;
  const latest = family.tokens[0];
  return {
    tokenRows: family._count.tokens,
    id: family.id,
    clientId: family.clientId,
    createdAt: family.createdAt.toISOString(),
    generation: latest?.generation ?? 0,
    expiresAt: latest?.expiresAt.toISOString() ?? null,
    revokedAt: family.revokedAt?.toISOString() ?? null,
    revokedReason: family.revokedReason,
  };
}
