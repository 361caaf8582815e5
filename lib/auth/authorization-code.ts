// One-time authorization codes (RFC 6749 §4.1.2, OAuth 2.1 §4.1.2): 256
// random bits, stored as a SHA-256 hash, valid for CODE_TTL_MS, bound to
// the client, the redirect URI, the PKCE challenge (RFC 7636) and, when the
// client named a DPoP key at authorization, that key (RFC 9449 §10).
import { createHash, randomBytes } from "node:crypto";
import { db } from "@/lib/db";
import type { Failure, Result } from "@/lib/errors";
import type { ClientInfo } from "@/lib/http";
import type { CredentialHolder } from "@/lib/auth/credential-version";
import { recordEvent } from "@/lib/auth/events";
import { verifierMatches } from "@/lib/auth/pkce";
import { revokeFamily, startRefreshFamily, type RefreshIssue } from "@/lib/auth/refresh";

// RFC 6749 §4.1.2 recommends at most 10 minutes; a client exchanges its
// code within a second of receiving it.
export const CODE_TTL_MS = 60_000;

export type CodeGrant = {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  dpopJkt: string | null;
};

function hashCode(code: string): string {
  return createHash("sha256").update(code).digest("hex");
}

// `user`: the signed-in user who approved it, at the credential version of
// the session that did.
export async function issueAuthorizationCode(
  grant: CodeGrant,
  user: CredentialHolder,
  now = new Date(),
): Promise<string> {
  const code = randomBytes(32).toString("base64url");
  await db().authorizationCode.create({
    data: {
      codeHash: hashCode(code),
      ...grant,
      userId: user.id,
      credentialVersion: user.credentialVersion,
      createdAt: now,
      expiresAt: new Date(now.getTime() + CODE_TTL_MS),
    },
  });
  return code;
}

export type CodeFailure = "unknown" | "expired" | "mismatch" | "pkce" | "reused" | "password_changed";

const MESSAGES: Record<CodeFailure, string> = {
  unknown: "The authorization code is not valid.",
  expired: "The authorization code expired; start the sign-in again.",
  mismatch: "The authorization code was issued to another client, redirect URI or key.",
  pkce: "The code_verifier does not match the code_challenge sent at authorization.",
  reused: "The authorization code was already used. What it issued is now revoked; start the sign-in again.",
  password_changed: "The account's password was changed after this code was issued; sign in again.",
};

function refused(code: CodeFailure): { ok: false; error: Failure<CodeFailure> } {
  return { ok: false, error: { code, description: MESSAGES[code] } };
}

export type CodeExchange = {
  code: string;
  clientId: string;
  redirectUri: string;
  codeVerifier: string;
  // The thumbprint of the DPoP key that signed the token request's proof:
  // what the tokens will be bound to.
  dpopJkt: string | null;
};

export type RedeemedCode = { user: { id: string; email: string }; clientId: string; refresh: RefreshIssue };

// Everything the code is bound to is checked before it is spent, so a
// presenter who cannot complete the exchange (a stolen code without its
// verifier) neither spends it nor revokes anything. A second complete
// exchange is a copy of a code that worked: both are refused, and the family
// the first one started is revoked (RFC 6749 §4.1.2), whichever finishes
// first.
export async function redeemAuthorizationCode(
  exchange: CodeExchange,
  client: ClientInfo,
  now = new Date(),
): Promise<Result<RedeemedCode, Failure<CodeFailure>>> {
  const row = await db().authorizationCode.findUnique({
    where: { codeHash: hashCode(exchange.code) },
    include: { user: { select: { email: true } } },
  });
  if (!row) return refused("unknown");
  if (row.clientId !== exchange.clientId || row.redirectUri !== exchange.redirectUri) return refused("mismatch");
  if (row.dpopJkt !== null && row.dpopJkt !== exchange.dpopJkt) return refused("mismatch");
  if (!verifierMatches(exchange.codeVerifier, row.codeChallenge)) return refused("pkce");
  const claimed = await db().authorizationCode.updateMany({
    where: { id: row.id, usedAt: null },
    data: { usedAt: now },
  });
  if (claimed.count === 0) {
    await db().authorizationCode.updateMany({ where: { id: row.id, reusedAt: null }, data: { reusedAt: now } });
    const { familyId } = await db().authorizationCode.findUniqueOrThrow({ where: { id: row.id } });
    if (familyId) await revokeReused(familyId, row.userId, client);
    return refused("reused");
  }
  if (row.expiresAt.getTime() <= now.getTime()) return refused("expired");
  const refresh = await startRefreshFamily(
    { id: row.userId, credentialVersion: row.credentialVersion },
    row.clientId,
    now,
    client,
    exchange.dpopJkt,
  );
  if (!refresh) return refused("password_changed");
  const recorded = await db().authorizationCode.update({
    where: { id: row.id },
    data: { familyId: refresh.familyId },
  });
  // A copy came in while this one was starting the family.
  if (recorded.reusedAt) {
    await revokeReused(refresh.familyId, row.userId, client);
    return refused("reused");
  }
  return { ok: true, value: { user: { id: row.userId, email: row.user.email }, clientId: row.clientId, refresh } };
}

async function revokeReused(familyId: string, userId: string, client: ClientInfo): Promise<void> {
  if (await revokeFamily(familyId, "code_reused")) {
    await recordEvent({ type: "code.reused", userId, mechanism: "jwt", client, detail: { family: familyId } });
  }
}
