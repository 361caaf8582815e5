"use client";
import { useState, type FormEvent } from "react";

type Props = {
  label: string;
  testId: string;
  demo: { email: string; password: string } | null;
  onSubmit: (email: string, password: string) => Promise<string | null>;
};

// A small sign-in form per column; returns the server's error message.
export function SignInForm({ label, testId, demo, onSubmit }: Props) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(await onSubmit(email, password));
    setBusy(false);
  }

  return (
    <form onSubmit={submit} data-testid={testId} className="space-y-3" noValidate>
      <div className="grid gap-2 sm:grid-cols-2">
        <TextInput label="Email" value={email} onChange={setEmail} type="email" autoComplete="username" />
        <TextInput
          label="Password"
          value={password}
          onChange={setPassword}
          type="password"
          autoComplete="current-password"
        />
      </div>
      <div className="flex flex-wrap items-center gap-2">
        <button
          type="submit"
          disabled={busy}
          aria-busy={busy || undefined}
          className="rounded-md bg-zinc-900 px-3 py-1.5 text-sm font-medium text-white disabled:opacity-60 dark:bg-zinc-100 dark:text-zinc-900"
        >
          {busy ? "Signing in…" : label}
        </button>
        {demo ? (
          <button
            type="button"
            onClick={() => {
              setEmail(demo.email);
              setPassword(demo.password);
            }}
            className="text-sm text-sky-700 underline underline-offset-4 dark:text-sky-400"
          >
            Use the demo account
          </button>
        ) : null}
      </div>
      <p role="alert" aria-live="polite" className="min-h-5 text-sm text-red-600 dark:text-red-400">
        {error}
      </p>
    </form>
  );
}

function TextInput({
  label,
  value,
  onChange,
  type,
  autoComplete,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  type: string;
  autoComplete: string;
}) {
  return (
    <label className="space-y-1 text-sm">
      <span className="font-medium">{label}</span>
      <input
        value={value}
        onChange={(e) => onChange(e.target.value)}
        type={type}
        autoComplete={autoComplete}
        className="block w-full rounded-md border border-zinc-300 bg-white px-2.5 py-1.5 dark:border-zinc-700 dark:bg-zinc-950"
      />
    </label>
  );
}
