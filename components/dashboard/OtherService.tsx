"use client";
// The resource server (resource-server/): another program, on another port,
// that was told only this app's URL. The page calls it directly, as any
// client of that service would: with the access token (it checks it with
// the public keys it discovered), with introspection (it also asks this
// app), and with the session cookie only (which it cannot use).
import { useState } from "react";
import { Card } from "@/components/Card";
import { Action, Outcome } from "./ui";
import type { Traced } from "./requests";
import { useBusy } from "./useBusy";

type Answer = {
  sub?: string;
  email?: string;
  verified_by?: string;
  check_ms?: number;
  fetched_keys?: boolean;
  introspection_ms?: number;
  error?: string;
  error_description?: string;
};

type Result = { what: string; status: number; answer: Answer | null } | { what: string; unreachable: true };

export function OtherService({ url, token, traced }: { url: string | null; token: string | null; traced: Traced }) {
  const [result, setResult] = useState<Result | null>(null);
  const { busy, busyWhile } = useBusy();

  const call = (what: string, query: string, init: RequestInit, mechanism: "jwt" | "session") =>
    busyWhile(async () => {
      try {
        const { response, body } = await traced<Answer>(mechanism, `${url}/whoami${query}`, init);
        setResult({ what, status: response.status, answer: body });
      } catch {
        setResult({ what, unreachable: true });
      }
    });

  if (!url) {
    return (
      <Card variant="section" title="Another service" testId="other-service">
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          No resource server is configured here (RESOURCE_SERVER_URL). <code>npm run demo</code> starts one beside the
          app: a separate program that accepts this app&apos;s access tokens knowing only its URL.
        </p>
      </Card>
    );
  }
  return (
    <Card variant="section" title="Another service" testId="other-service">
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        A separate program at{" "}
        <a className="font-mono underline" href={`${url}/health`}>
          {url}
        </a>
        . It was given only this app&apos;s URL: it found the public keys by discovery and checks tokens itself, with no
        database and no secrets. A session cookie reaches it too (cookies go by host, not port), and means nothing to
        it.
      </p>
      <div className="flex flex-wrap gap-2">
        <Action
          pending={busy}
          disabled={!token}
          data-testid="other-service-token"
          onClick={() => call("With the access token", "", { headers: { authorization: `Bearer ${token}` } }, "jwt")}
        >
          Call it with the access token
        </Action>
        <Action
          pending={busy}
          disabled={!token}
          data-testid="other-service-introspect"
          onClick={() =>
            call(
              "With the access token, asking this app (introspection)",
              "?introspect=1",
              { headers: { authorization: `Bearer ${token}` } },
              "jwt",
            )
          }
        >
          … and ask this app if it was revoked
        </Action>
        <Action
          pending={busy}
          data-testid="other-service-cookie"
          onClick={() => call("With the session cookie only", "", { credentials: "include" }, "session")}
        >
          Call it with the session cookie
        </Action>
      </div>
      {token ? null : <p className="text-xs text-zinc-600 dark:text-zinc-400">Sign in with a JWT to send a token.</p>}
      {result ? <ServiceOutcome result={result} url={url} /> : null}
    </Card>
  );
}

function ServiceOutcome({ result, url }: { result: Result; url: string }) {
  if ("unreachable" in result) {
    return (
      <Outcome ok={false} testId="other-service-outcome">
        {result.what}: not reachable at {url}. <code>npm run demo</code> starts it; alone:{" "}
        <code>ISSUER=… npm run resource-server</code>.
      </Outcome>
    );
  }
  const { answer, status } = result;
  if (status === 200 && answer) {
    const timings = [
      `its own check ${answer.check_ms?.toFixed(2)} ms${answer.fetched_keys ? ", fetching the JWKS first" : ""}`,
      answer.introspection_ms === undefined ? null : `asking this app ${answer.introspection_ms.toFixed(1)} ms`,
    ].filter(Boolean);
    return (
      <Outcome ok testId="other-service-outcome">
        {result.what}: 200, {answer.email} ({answer.verified_by}; {timings.join(", ")}).
      </Outcome>
    );
  }
  return (
    <Outcome ok={false} testId="other-service-outcome">
      {result.what}: {status} {answer?.error ?? ""}. {answer?.error_description ?? ""}
    </Outcome>
  );
}
