"use server";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { requireSession } from "@/lib/auth/current-session";
import { changePassword } from "@/lib/auth/password-change";
import { revokeSession, signOut, signOutEverywhere } from "@/lib/auth/sign-out";
import { DATABASE_UNAVAILABLE } from "@/lib/errors";
import { whenUnavailable } from "@/lib/database-errors";
import { clientInfo } from "@/lib/http";
import { refuseOnSharedDemoAccount } from "@/lib/showcase/demo";

export async function signOutAction(): Promise<void> {
  await signOut(clientInfo(await headers()));
  redirect("/login");
}

export async function signOutEverywhereAction(): Promise<void> {
  const { user } = await requireSession("/account/sessions");
  if (refuseOnSharedDemoAccount(user.email)) redirect("/account/sessions?refused=shared-demo");
  await signOutEverywhere(user.id, clientInfo(await headers()));
  redirect("/login");
}

export async function revokeSessionAction(form: FormData): Promise<void> {
  const current = await requireSession("/account/sessions");
  // An action is an endpoint: its arguments are whatever the request carried.
  const id = form instanceof FormData ? form.get("session") : null;
  if (typeof id !== "string") return;
  await revokeSession(current, id, clientInfo(await headers()));
  if (id === current.session.id) redirect("/login");
  redirect("/account/sessions");
}

export type PasswordFormState =
  | { status: "idle" }
  | { status: "error"; fields: Record<string, string>; message?: string }
  | { status: "changed"; revoked: number };

export async function changePasswordAction(_previous: PasswordFormState, form: FormData): Promise<PasswordFormState> {
  return whenUnavailable(
    async () => {
      const current = await requireSession("/account");
      const refused = refuseOnSharedDemoAccount(current.user.email);
      if (refused) return { status: "error", fields: {}, message: refused.description };
      if (!(form instanceof FormData))
        return { status: "error", fields: {}, message: "Enter your current and a new password." };
      const input = { currentPassword: form.get("currentPassword"), newPassword: form.get("newPassword") };
      const changed = await changePassword(current, input, clientInfo(await headers()));
      if (changed.ok) return { status: "changed", revoked: changed.value.revokedSessions };
      const { error } = changed;
      return "fields" in error && error.fields
        ? { status: "error", fields: error.fields }
        : { status: "error", fields: {}, message: error.description };
    },
    { status: "error", fields: {}, message: DATABASE_UNAVAILABLE.description },
  );
}
