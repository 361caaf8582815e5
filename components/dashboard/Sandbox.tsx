"use client";
// An account of the visitor's own, in one click (lib/showcase/sandbox.ts):
// the page makes it, then both columns sign in with it, as a person would
// with the forms.
import { useEffect, useEffectEvent, useState } from "react";
import type { Json } from "@/lib/json";
import type { SandboxAccount } from "@/lib/showcase/sandbox";
import { Action } from "./ui";
import type { Traced } from "./requests";
import { useBusy } from "./useBusy";
import { Time } from "@/components/Time";

export type SignInAs = { email: string; password: string };
// What each column's sign-in with the account came to ("signed in", or the
// server's reason); null while it tries.
export type SignInResults = { session: string | null; jwt: string | null };

// A column signs in with the account it is handed, through its own sign-in,
// and says how that went.
export function useSignInAs(
  account: SignInAs | null,
  signIn: (email: string, password: string) => Promise<string | null>,
  report: (result: string) => void,
) {
  const signInWith = useEffectEvent(async ({ email, password }: SignInAs) => {
    try {
      report((await signIn(email, password)) ?? "signed in");
    } catch {
      report("the server could not be reached");
    }
  });
  useEffect(() => {
    if (account) void signInWith(account);
  }, [account]);
}

export function Sandbox({
  traced,
  onCreated,
  results,
}: {
  traced: Traced;
  onCreated: (account: SignInAs) => void;
  results: SignInResults;
}) {
  const [account, setAccount] = useState<Json<SandboxAccount> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const { busy, busyWhile } = useBusy();

  const create = () =>
    busyWhile(async () => {
      setError(null);
      let answer;
      try {
        answer = await traced<Json<SandboxAccount> & { error_description?: string }>("none", "/api/sandbox", {
          method: "POST",
        });
      } catch {
        setError("The server could not be reached.");
        return;
      }
      const { response, body } = answer;
      if (!response.ok || !body) {
        setError(body?.error_description ?? `The server answered ${response.status}.`);
        return;
      }
      setAccount(body);
      onCreated({ email: body.email, password: body.password });
    });

  return (
    <section
      aria-labelledby="sandbox-title"
      data-testid="sandbox"
      className="space-y-2 rounded-lg border border-zinc-200 p-4 text-sm dark:border-zinc-800"
    >
      <h2 id="sandbox-title" className="font-semibold">
        An account of your own
      </h2>
      {!account ? (
        <>
          <p className="text-zinc-600 dark:text-zinc-400">
            Every visitor of this server may use the demo account, and shares it. A throwaway account is yours alone:
            nobody else sees its devices or can sign it out. It is deleted once a day old.
          </p>
          <Action pending={busy} data-testid="sandbox-create" onClick={create}>
            Create one and sign in with it both ways
          </Action>
        </>
      ) : (
        // Focus moves here, where the button was.
        <div data-testid="sandbox-account" ref={(element) => element?.focus()} tabIndex={-1} className="space-y-1">
          <p>
            <span className="font-mono break-all">{account.email}</span>, password{" "}
            <code data-testid="sandbox-password" className="font-mono break-all">
              {account.password}
            </code>{" "}
            (shown only here: copy it to sign in elsewhere, such as <code>npm run client</code>). Deleted after{" "}
            <Time value={account.expires_at} />.
          </p>
          <p role="status" data-testid="sandbox-signins" className="text-zinc-600 dark:text-zinc-400">
            {(["session", "jwt"] as const)
              .map((column) => `${column === "session" ? "Session" : "JWT"}: ${results[column] ?? "signing in…"}`)
              .join(" · ")}
          </p>
        </div>
      )}
      {error ? (
        <p role="alert" className="text-red-700 dark:text-red-300">
          {error}
        </p>
      ) : null}
    </section>
  );
}
