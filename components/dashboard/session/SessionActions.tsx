"use client";

import { Action } from "../ui";
import type { useSessionClient } from "./useSessionClient";

export function SessionActions({ client }: { client: ReturnType<typeof useSessionClient> }) {
  return (
    <div className="flex flex-wrap gap-2">
      <a
        href="/account"
        className="rounded-md border border-zinc-300 px-3 py-1.5 text-sm font-medium hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800"
      >
        Open a protected page
      </a>
      <Action pending={client.busy} data-testid="session-check" onClick={() => client.check()}>
        Check now
      </Action>
      <Action pending={client.busy} data-testid="session-signout" onClick={() => client.signOut()}>
        Sign out
      </Action>
      <Action
        pending={client.busy}
        tone="danger"
        data-testid="session-signout-everywhere"
        onClick={() => client.signOutEverywhere()}
      >
        Sign out everywhere
      </Action>
    </div>
  );
}
