"use client";
import { useActionState } from "react";
import { signInAction, type SignInFormState } from "@/app/login/actions";
import { Field } from "@/components/Field";
import { Button } from "@/components/Button";

const initial: SignInFormState = { status: "idle" };

export function LoginForm({ next }: { next: string }) {
  const [state, formAction, pending] = useActionState(signInAction, initial);
  return (
    <form action={formAction} noValidate className="space-y-4">
      <input type="hidden" name="next" value={next} />
      <div aria-live="polite">
        {state.status === "error" ? (
          <p
            data-testid="login-error"
            className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 dark:bg-red-950/50 dark:text-red-300"
          >
            {state.message}
          </p>
        ) : null}
      </div>
      <Field
        name="email"
        label="Email"
        type="email"
        autoComplete="username"
        required
        defaultValue={state.status === "error" ? state.email : undefined}
      />
      <Field name="password" label="Password" type="password" autoComplete="current-password" required />
      <Button type="submit" pending={pending}>
        {pending ? "Signing in…" : "Sign in with a session"}
      </Button>
    </form>
  );
}
