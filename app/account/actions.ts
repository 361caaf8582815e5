"use server";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { checkPasswordPolicy, hashPassword, isPasswordWorkBusy, PASSWORD_WORK_BUSY } from "@/lib/auth/password";
import { invalidateUserSession, invalidateUserSessions } from "@/lib/auth/session";
import { clearSessionCookie, endCurrentSession, requireSession, startSession } from "@/lib/auth/session-cookie";
import { verifyCredentials } from "@/lib/auth/signin";
import { revokeUserFamilies } from "@/lib/auth/refresh";
import { signOutEverywhere } from "@/lib/auth/sign-out";
import { refuseOnSharedDemoAccount } from "@/lib/demo";
import { recordEvent } from "@/lib/auth/events";
import { db } from "@/lib/db";
import { clientInfo } from "@/lib/http";
import { DATABASE_UNAVAILABLE } from "@/lib/errors";
import { whenUnavailable } from "@/lib/faults";

export async function signOutAction(): Promise<void> {
  const ended = await endCurrentSession();
  if (ended) {
    await recordEvent({
      type: "signout",
      userId: ended.user.id,
      mechanism: "session",
      client: clientInfo(await headers()),
      detail: { session: ended.session.id },
    });
  }
  redirect("/login");
}

export async function signOutEverywhereAction(): Promise<void> {
  const { user } = await requireSession("/account/sessions");
  if (refuseOnSharedDemoAccount(user.email)) redirect("/account/sessions?refused=shared-demo");
  await signOutEverywhere(user.id, clientInfo(await headers()), "session");
  await clearSessionCookie();
  redirect("/login");
}

export async function revokeSessionAction(form: FormData): Promise<void> {
  const { session, user } = await requireSession("/account/sessions");
  // An action is an endpoint: its arguments are whatever the request carried.
  const id = form instanceof FormData ? form.get("session") : null;
  if (typeof id !== "string") return;
  if (await invalidateUserSession(user.id, id)) {
    await recordEvent({
      type: "session.revoked",
      userId: user.id,
      mechanism: "session",
      client: clientInfo(await headers()),
      detail: { session: id },
    });
  }
  if (id === session.id) {
    await clearSessionCookie();
    redirect("/login");
  }
  redirect("/account/sessions");
}

export type PasswordFormState =
  | { status: "idle" }
  | { status: "error"; fields: Record<string, string>; message?: string }
  | { status: "changed"; revoked: number };

// Re-checks the current password (throttled like a sign-in), then revokes
// every session of the account and gives this device a fresh one: a new id at
// every privilege change.
export async function changePasswordAction(_previous: PasswordFormState, form: FormData): Promise<PasswordFormState> {
  return whenUnavailable(() => changePassword(form), {
    status: "error",
    fields: {},
    message: DATABASE_UNAVAILABLE.description,
  });
}

async function changePassword(form: FormData): Promise<PasswordFormState> {
  const { user } = await requireSession("/account");
  const refused = refuseOnSharedDemoAccount(user.email);
  if (refused) return { status: "error", fields: {}, message: refused.description };
  if (!(form instanceof FormData))
    return { status: "error", fields: {}, message: "Enter your current and a new password." };
  const current = form.get("currentPassword");
  const next = form.get("newPassword");
  if (typeof current !== "string" || current === "")
    return { status: "error", fields: { currentPassword: "Enter your current password." } };
  if (typeof next !== "string") return { status: "error", fields: { newPassword: "Enter a new password." } };
  const policy = checkPasswordPolicy(next);
  if (!policy.ok) return { status: "error", fields: { newPassword: policy.message } };

  const client = clientInfo(await headers());
  const verified = await verifyCredentials({ email: user.email, password: current }, client, "session");
  if (!verified.ok) {
    const message =
      verified.error.code === "invalid_grant" ? "That is not your current password." : verified.error.description;
    return { status: "error", fields: { currentPassword: message } };
  }
  let passwordHash: string;
  try {
    passwordHash = await hashPassword(policy.value);
  } catch (error) {
    if (!isPasswordWorkBusy(error)) throw error;
    return { status: "error", fields: {}, message: PASSWORD_WORK_BUSY.description };
  }
  await db().user.update({ where: { id: user.id }, data: { passwordHash } });
  const revoked = await invalidateUserSessions(user.id);
  const revokedFamilies = await revokeUserFamilies(user.id, "password_changed");
  await startSession(user.id);
  await recordEvent({
    type: "password.changed",
    userId: user.id,
    mechanism: "session",
    client,
    detail: { revokedSessions: revoked, revokedFamilies },
  });
  return { status: "changed", revoked: revoked - 1 };
}
