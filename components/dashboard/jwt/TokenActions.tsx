"use client";
// What a person can do with the token in hand: use it, refresh it, revoke
// it, switch denylist mode, forget it, or forge a claim.
import { Card } from "@/components/Card";
import { useState } from "react";
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

export function TamperPanel({ client, token }: { client: Client; token: string }) {
  const [claim, setClaim] = useState("sub");
  const [value, setValue] = useState("someone-else");
  return (
    <Card variant="panel" title="Tamper with a claim" testId="jwt-tamper">
      <div className="flex flex-wrap items-end gap-2 text-sm">
        <label className="space-y-1">
          <span className="block font-medium">Claim</span>
          <select
            value={claim}
            onChange={(e) => setClaim(e.target.value)}
            className="rounded-md border border-zinc-300 bg-white px-2 py-1.5 dark:border-zinc-700 dark:bg-zinc-950"
          >
            {["sub", "email", "exp", "aud"].map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        </label>
        <label className="min-w-40 flex-1 space-y-1">
          <span className="block font-medium">New value</span>
          <input
            value={value}
            onChange={(e) => setValue(e.target.value)}
            className="block w-full rounded-md border border-zinc-300 bg-white px-2 py-1.5 dark:border-zinc-700 dark:bg-zinc-950"
          />
        </label>
        <Action
          pending={client.busy}
          data-testid="jwt-tamper-send"
          onClick={() => client.sendTampered(token, claim, value)}
        >
          Send tampered token
        </Action>
      </div>
      <p className="text-xs text-zinc-500 dark:text-zinc-400">
        The page re-encodes the payload and keeps the old signature, which no longer matches.
      </p>
    </Card>
  );
}
