"use client";
import { Card } from "@/components/Card";
import { useEffect } from "react";
import type { Traced } from "./requests";
import { SignInForm } from "./SignInForm";
import { useSignInAs, type SignInAs } from "./Sandbox";

import { useNow } from "./time";
import { decodeJwt } from "./jwt-decode";
import { ClaimsPanel, FamilyPanel, TokenPanel } from "./jwt/TokenPanels";
import { TokenActions } from "./jwt/TokenActions";
import { useTokenClient } from "./jwt/useTokenClient";

type Props = {
  traced: Traced;
  demo: { email: string; password: string } | null;
  // An account to sign in with now (the sandbox's), and where to say how it went.
  signInAs: SignInAs | null;
  onSignInAs: (result: string) => void;
  demoControls: boolean;
  onChange: (state: { token: string | null; rows: number | null; denylist: boolean | null }) => void;
};

export function JwtColumn({ traced, demo, signInAs, onSignInAs, demoControls, onChange }: Props) {
  const now = useNow();
  // The access token lives in the hook's state, in page memory only.
  const client = useTokenClient(traced);
  const { token, family, familyError, denylist, restoring } = client;

  useEffect(
    () => onChange({ token, rows: family?.family?.tokenRows ?? null, denylist }),
    [token, family, denylist, onChange],
  );

  const decoded = token ? decodeJwt(token) : null;

  useSignInAs(signInAs, client.signIn, onSignInAs);

  return (
    <div data-testid="jwt-column" className="space-y-4">
      <header className="space-y-1">
        <h2 className="text-xl font-semibold text-jwt-700 dark:text-jwt-300">JWT</h2>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          A signed token held in page memory; the server keeps only keys and refresh families.
        </p>
      </header>

      {restoring ? (
        <p className="text-sm text-zinc-500 dark:text-zinc-400">Asking for a token with the refresh cookie…</p>
      ) : !token || !decoded ? (
        <Card variant="panel" title="Sign in with a JWT">
          <SignInForm label="Sign in with a JWT" testId="jwt-signin" demo={demo} onSubmit={client.signIn} />
          <p className="text-sm text-zinc-500 dark:text-zinc-400">
            No access token in this page&apos;s memory. The refresh token, if any, is in an HttpOnly cookie only
            /api/auth/refresh receives.
          </p>
        </Card>
      ) : (
        <>
          <TokenPanel token={token} decoded={decoded} now={now} />
          <ClaimsPanel decoded={decoded} />
          <FamilyPanel family={family} familyError={familyError} denylist={denylist} now={now} />
          <TokenActions client={client} token={token} demoControls={demoControls} />
          <p className="text-sm">
            <a href="#workbench" className="text-sky-700 underline underline-offset-4 dark:text-sky-400">
              Edit or forge this token in the workbench
            </a>
          </p>
        </>
      )}
    </div>
  );
}
