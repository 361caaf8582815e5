"use client";
import { useState } from "react";
import { Action } from "../ui";
import type { useSessionClient } from "./useSessionClient";

const LINK =
  "rounded-md border border-zinc-300 px-3 py-1.5 text-sm font-medium hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800";

export function SessionActions({ client }: { client: ReturnType<typeof useSessionClient> }) {
  // "Everywhere" ends this account's every device, the dashboard's token client included: asked twice.
  const [confirming, setConfirming] = useState(false);
  return (
    <div className="flex flex-wrap gap-2">
      <a href="/account" className={LINK}>
        Open a protected page
      </a>
      <a href="/account/devices" className={LINK}>
        My devices
      </a>
      <Action pending={client.busy} data-testid="session-check" onClick={() => client.check()}>
        Check now
      </Action>
      <Action pending={client.busy} data-testid="session-signout" onClick={() => client.signOut()}>
        Sign out
      </Action>
      {confirming ? (
        <span role="group" aria-label="Confirm sign out everywhere" className="flex flex-wrap items-center gap-2">
          <span className="text-sm">Every device of this account?</span>
          <Action
            pending={client.busy}
            tone="danger"
            data-testid="session-signout-everywhere-confirm"
            onClick={() => {
              setConfirming(false);
              client.signOutEverywhere();
            }}
          >
            Yes, sign out everywhere
          </Action>
          <Action pending={client.busy} onClick={() => setConfirming(false)}>
            Cancel
          </Action>
        </span>
      ) : (
        <Action
          pending={client.busy}
          tone="danger"
          data-testid="session-signout-everywhere"
          onClick={() => setConfirming(true)}
        >
          Sign out everywhere…
        </Action>
      )}
    </div>
  );
}
