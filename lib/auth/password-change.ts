// Changing a password: the current one checked again (and throttled like a
// sign-in), the new one against the policy; then, in one transaction, the
// new hash and a raised credential version, every session and refresh
// family of the account ended (sign-ins still checking the old password
// included: lib/auth/credential-version.ts), and this browser gets a new
// session, since a privilege change must come with a new session id (OWASP
// Session Management Cheat Sheet). Records its own audit event.
import "server-only";
import { replaceCredential } from "@/lib/auth/credential-version";
import { startSession, type ActiveSession } from "@/lib/auth/current-session";
import { recordEvent } from "@/lib/auth/events";
import { checkPasswordPolicy, hashPassword, isPasswordWorkBusy, PASSWORD_WORK_BUSY } from "@/lib/auth/password";
import { revokeUserFamilies } from "@/lib/auth/refresh";
import { invalidateUserSessions } from "@/lib/auth/session";
import { verifyCredentials } from "@/lib/auth/signin";
import type { Result } from "@/lib/errors";
import type { ClientInfo } from "@/lib/http";

const field = (name: "currentPassword" | "newPassword", message: string) =>
  ({ ok: false, error: { code: "invalid_request", description: message, fields: { [name]: message } } }) as const;

// `revokedSessions` counts the account's other sessions that ended.
export async function changePassword(
  { user }: ActiveSession,
  input: { currentPassword: unknown; newPassword: unknown },
  client: ClientInfo,
): Promise<Result<{ revokedSessions: number; revokedFamilies: number }>> {
  const { currentPassword, newPassword } = input;
  if (typeof currentPassword !== "string" || currentPassword === "")
    return field("currentPassword", "Enter your current password.");
  if (typeof newPassword !== "string") return field("newPassword", "Enter a new password.");
  const policy = checkPasswordPolicy(newPassword);
  if (!policy.ok) return field("newPassword", policy.error.description);

  const verified = await verifyCredentials({ email: user.email, password: currentPassword }, client, "session");
  if (!verified.ok) {
    const message =
      verified.error.code === "invalid_grant" ? "That is not your current password." : verified.error.description;
    return field("currentPassword", message);
  }
  let passwordHash: string;
  try {
    passwordHash = await hashPassword(policy.value, { client });
  } catch (error) {
    if (!isPasswordWorkBusy(error)) throw error;
    return { ok: false, error: PASSWORD_WORK_BUSY };
  }
  const now = new Date();
  const replaced = await replaceCredential(verified.value, passwordHash, async (tx) => ({
    sessions: await invalidateUserSessions(user.id, {}, tx),
    families: await revokeUserFamilies(user.id, "password_changed", now, tx),
  }));
  // Another change went first, while this one hashed: the password checked
  // above is no longer the account's.
  if (!replaced) return field("currentPassword", "That is not your current password.");
  const { sessions, families } = replaced.ended;
  const session = await startSession(replaced.holder);
  await recordEvent({
    type: "password.changed",
    userId: user.id,
    mechanism: "session",
    client,
    detail: { revokedSessions: sessions, revokedFamilies: families },
  });
  if (!session.ok) return field("currentPassword", "The password was changed again meanwhile; sign in again.");
  // This browser's own session was among those ended.
  return { ok: true, value: { revokedSessions: sessions - 1, revokedFamilies: families } };
}
