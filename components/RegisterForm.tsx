"use client";
import { useActionState, useState } from "react";
import Link from "next/link";
import { registerAction, type RegisterFormState } from "@/app/register/actions";
import { Field } from "@/components/Field";
import { Button } from "@/components/Button";

const initial: RegisterFormState = { status: "idle" };
const utf8 = new TextEncoder();

export function RegisterForm() {
  const [state, formAction, pending] = useActionState(registerAction, initial);
  const [passwordBytes, setPasswordBytes] = useState(0);

  if (state.status === "registered") {
    return (
      <div
        role="status"
        data-testid="register-success"
        className="space-y-3 rounded-lg border border-emerald-300 bg-emerald-50 p-5 dark:border-emerald-800 dark:bg-emerald-950/40"
      >
        <h2 className="font-semibold">Account created</h2>
        <p className="text-sm">
          <span className="font-mono">{state.email}</span> can now sign in. Its password is stored only as a bcrypt
          hash.
        </p>
        <Link
          href="/"
          className="inline-block text-sm font-medium text-sky-700 underline underline-offset-4 dark:text-sky-400"
        >
          Back to the overview
        </Link>
      </div>
    );
  }

  const fields = state.status === "error" ? state.fields : {};
  return (
    // React resets the form after each submission; the byte counter follows.
    <form action={formAction} noValidate onReset={() => setPasswordBytes(0)} className="space-y-4">
      {state.status === "error" && Object.keys(fields).length === 0 ? (
        <p
          data-testid="form-error"
          className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 dark:bg-red-950/50 dark:text-red-300"
        >
          {state.message}
        </p>
      ) : null}
      <Field
        name="email"
        label="Email"
        type="email"
        autoComplete="email"
        required
        defaultValue={state.status === "error" ? state.email : undefined}
        error={fields.email}
      />
      <Field
        name="password"
        label="Password"
        type="password"
        autoComplete="new-password"
        required
        error={fields.password}
        onChange={(event) => setPasswordBytes(utf8.encode(event.target.value.normalize("NFKC")).length)}
        hint={
          <>
            8 to 72 bytes. <span aria-live="polite">{passwordBytes > 0 ? `${passwordBytes} / 72 bytes.` : null}</span>
          </>
        }
      />
      <Button type="submit" pending={pending}>
        {pending ? "Creating account…" : "Create account"}
      </Button>
    </form>
  );
}
