"use client";
// What a person can do with the token in hand: use it, refresh it, revoke
// it, switch denylist mode, or forget it. Forging it is the workbench's job
// (../workbench/).
import { Action, Outcome } from "../ui";
import type { useTokenClient } from "./useTokenClient";

type Client = ReturnType<typeof useTokenClient>;

export function TokenActions({
  client,
  token,
  demoControls,
}: {
  client: Client;
  token: string;
  demoControls: boolean;
}) {
  const { busy, verdict, denylist } = client;
  return (
    <>
      {verdict ? (
        <Outcome ok={verdict.ok} testId="jwt-verdict">
          {verdict.text}
        </Outcome>
      ) : null}
      <div className="flex flex-wrap gap-2">
        <Action pending={busy} data-testid="jwt-call-me" onClick={() => client.callMe(token)}>
          Call /api/me
        </Action>
        <Action pending={busy} data-testid="jwt-refresh" onClick={() => client.refresh()}>
          Refresh
        </Action>
        <Action pending={busy} tone="danger" data-testid="jwt-revoke" onClick={() => client.revoke(token)}>
          Revoke
        </Action>
        <Action
          pending={busy}
          disabled={!demoControls}
          aria-describedby={demoControls ? undefined : "demo-controls-off"}
          data-testid="jwt-denylist-toggle"
          onClick={() => client.toggleDenylist(token)}
        >
          Denylist {denylist ? "off" : "on"}
        </Action>
        <Action pending={busy} data-testid="jwt-forget" onClick={() => client.forget()}>
          Forget token
        </Action>
      </div>
      {demoControls ? null : (
        <p id="demo-controls-off" data-testid="demo-controls-off" className="text-xs text-zinc-600 dark:text-zinc-400">
          The denylist switch is off on this server (DEMO_CONTROLS=off): it would change revocation for every visitor.
          Locally, <code>npm run demo</code> turns it on.
        </p>
      )}
    </>
  );
}
