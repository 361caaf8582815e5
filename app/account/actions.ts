"use server";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { requireSession } from "@/lib/auth/current-session";
import { changePassword } from "@/lib/auth/password-change";
import { endDevice, signOut, signOutEverywhere } from "@/lib/auth/sign-out";
import { DATABASE_UNAVAILABLE } from "@/lib/errors";
import { whenUnavailable } from "@/lib/database-errors";
import { clientInfo } from "@/lib/http";
import { hidesDevice, refuseOnSharedDemoAccount } from "@/lib/showcase/demo";

export async function signOutAction(): Promise<void> {
  await signOut(clientInfo(await headers()));
  redirect("/login");
}

// Only after the page's confirmation: a bare post is sent there first.
export async function signOutEverywhereAction(form: FormData): Promise<void> {
  const { user } = await requireSession("/account/devices");
  if (refuseOnSharedDemoAccount(user.email)) redirect("/account/devices?refused=shared-demo");
  if (!(form instanceof FormData) || form.get("confirm") !== "yes") redirect("/account/devices?confirm=all");
  await signOutEverywhere(user.id, clientInfo(await headers()));
  redirect("/login");
}

export async function endDeviceAction(form: FormData): Promise<void> {
  const current = await requireSession("/account/devices");
  // An action is an endpoint: its arguments are whatever the request carried.
  const id = form instanceof FormData ? form.get("device") : null;
  if (typeof id !== "string" || hidesDevice(current.user.email, id, current.session.id)) return;
  await endDevice(current.user.id, current.session.id, id, clientInfo(await headers()));
  if (id === current.session.id) redirect("/login");
  redirect("/account/devices");
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
