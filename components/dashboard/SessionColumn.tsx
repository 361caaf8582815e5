"use client";
import { Card } from "@/components/Card";
import { useEffect } from "react";
import type { Traced } from "./requests";
import { SignInForm } from "./SignInForm";
import { useSignInAs, type SignInAs } from "./Sandbox";

import { useNow } from "./time";
import { SessionActions } from "./session/SessionActions";
import { CookiePanel, RecordPanel } from "./session/SessionPanels";
import { useSessionClient, type CookieInspection, type SessionState } from "./session/useSessionClient";

type Props = {
  traced: Traced;
  demo: { email: string; password: string } | null;
  // An account to sign in with now (the sandbox's), and where to say how it went.
  signInAs: SignInAs | null;
  onSignInAs: (result: string) => void;
  onChange: (state: { session: SessionState | null; cookie: CookieInspection | null; rows: number | null }) => void;
};

export function SessionColumn({ traced, demo, signInAs, onSignInAs, onChange }: Props) {
  const now = useNow();
  const client = useSessionClient(traced);
  const { state, cookie, rows, scriptSees, loaded } = client;

  useEffect(() => onChange({ session: state, cookie, rows }), [state, cookie, rows, onChange]);

  useSignInAs(signInAs, client.signIn, onSignInAs);

  return (
    <div data-testid="session-column" className="space-y-4">
      <header className="space-y-1">
        <h2 className="text-xl font-semibold text-session-700 dark:text-session-300">Session</h2>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          A random id, sealed in an HttpOnly cookie; the server keeps the record.
        </p>
      </header>

      {!loaded ? (
        <p className="text-sm text-zinc-500 dark:text-zinc-400">Reading the session…</p>
      ) : !state ? (
        <Card variant="panel" title="Sign in with a session">
          <SignInForm label="Sign in with a session" testId="session-signin" demo={demo} onSubmit={client.signIn} />
          <p className="text-sm text-zinc-500 dark:text-zinc-400">
            No session cookie is accepted by the server for this browser.
          </p>
        </Card>
      ) : (
        <>
          <CookiePanel cookie={cookie} scriptSees={scriptSees} />
          <RecordPanel state={state} rows={rows} now={now} />
          <SessionActions client={client} />
        </>
      )}
    </div>
  );
}
