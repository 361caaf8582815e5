// An opaque bearer token (RFC 6750), as GitHub's tokens and OAuth's opaque
// access tokens are: a random string that means nothing by itself, sent in
// the Authorization header, stored only as a hash and looked up on every
// request. Here it is the server session itself (lib/auth/session.ts: a
// 256-bit token, idle and absolute limits, one indexed read) carried in a
// header instead of a sealed cookie. Where the state lives decides
// revocation (deleting the row ends it at the next request); how the token
// travels decides CSRF (a header is never sent by the browser on its own).
import type { ClientInfo } from "@/lib/http";
import type { CredentialHolder } from "@/lib/auth/credential-version";
import { parseBearer } from "@/lib/auth/bearer";
import type { Failure, Result } from "@/lib/errors";
import {
  createSession,
  invalidateSession,
  invalidSessionMessage,
  validateSessionToken,
  type SessionRecord,
  type SessionUser,
} from "@/lib/auth/session";

// Null when the password changed while it was being checked
// (lib/auth/credential-version.ts).
export async function issueOpaqueToken(
  user: CredentialHolder,
  client: ClientInfo,
): Promise<{ token: string; expiresAt: Date } | null> {
  const created = await createSession(user, client);
  return created && { token: created.token, expiresAt: created.session.absoluteExpiresAt };
}

export type OpaqueTokenHolder = { session: SessionRecord; user: SessionUser };

export async function checkOpaqueToken(
  authorization: string | null,
): Promise<Result<OpaqueTokenHolder, Failure<"invalid_token">>> {
  const bearer = parseBearer(authorization);
  if (!bearer.ok) return { ok: false, error: { code: "invalid_token", description: bearer.error.description } };
  const found = await validateSessionToken(bearer.value);
  if (found.status !== "valid")
    return { ok: false, error: { code: "invalid_token", description: invalidSessionMessage(found.reason) } };
  return { ok: true, value: { session: found.session, user: found.user } };
}

export function revokeOpaqueToken(holder: OpaqueTokenHolder): Promise<void> {
  return invalidateSession(holder.session.id);
}
