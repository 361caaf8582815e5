"use client";
import { useActionState } from "react";
import { changePasswordAction, type PasswordFormState } from "@/app/account/actions";
import { Field } from "@/components/Field";
import { Button } from "@/components/Button";

const initial: PasswordFormState = { status: "idle" };

// `inert`: the same form with no action and every control disabled, for the
// sample account page (/performance/page-baseline), which must not change
// the visitor's real account.
export function ChangePasswordForm({ inert = false }: { inert?: boolean }) {
  const [state, formAction, pending] = useActionState(changePasswordAction, initial);
  const fields = state.status === "error" ? state.fields : {};
  return (
    <form action={inert ? undefined : formAction} noValidate className="space-y-4">
      <fieldset disabled={inert} className="space-y-4">
        <div aria-live="polite">
          {state.status === "changed" ? (
            <p
              data-testid="password-changed"
              className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800 dark:bg-emerald-950/40 dark:text-emerald-200"
            >
              Password changed. {state.revoked === 1 ? "1 other session was" : `${state.revoked} other sessions were`}{" "}
              signed out, and this device got a new session id.
            </p>
          ) : null}
          {state.status === "error" && state.message ? (
            <p
              data-testid="password-error"
              role="alert"
              className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950/40 dark:text-red-200"
            >
              {state.message}
            </p>
          ) : null}
        </div>
        <Field
          name="currentPassword"
          label="Current password"
          type="password"
          autoComplete="current-password"
          error={fields.currentPassword}
        />
        <Field
          name="newPassword"
          label="New password"
          type="password"
          autoComplete="new-password"
          error={fields.newPassword}
          hint="8 to 72 bytes."
        />
        <Button type="submit" tone="secondary" pending={pending}>
          {pending ? "Changing…" : "Change password"}
        </Button>
      </fieldset>
    </form>
  );
}
