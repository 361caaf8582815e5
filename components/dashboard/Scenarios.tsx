"use client";
import { useState } from "react";
import type { Check, Measured, ScenarioName, ScenarioResult } from "@/lib/scenarios";
import type { Traced } from "./requests";

type Props = {
  traced: Traced;
  demoControls: boolean;
  accessToken: string | null;
  signedIn: boolean;
  onMeasured: (measured: Measured) => void;
};

const SCENARIOS: { name: ScenarioName | "script-read"; title: string; what: string; seconds: number }[] = [
  { name: "stolen-replay", title: "1. Stolen credential, replayed", what: "The server replays your own cookie and token from another client.", seconds: 1 },
  { name: "revoke-replay", title: "2. Revoke, then replay", what: "Revokes a fresh session and a 3-second token, then measures how long each keeps working.", seconds: 10 },
  { name: "expiry", title: "3. Expiry", what: "A token issued for 2 s is replayed until refused; an idle session is checked.", seconds: 8 },
  { name: "key-rotation", title: "4. Key rotation under load", what: "Rotates the signing key in the middle of 60 requests with old and new tokens.", seconds: 3 },
  { name: "csrf", title: "5. Cross-site form POST", what: "A foreign origin posts to a cookie endpoint and to a Bearer endpoint.", seconds: 1 },
  { name: "script-read", title: "6. Page script reads credentials", what: "This page's own script tries to read each credential.", seconds: 0 },
  { name: "db-down", title: "7. Database unavailable", what: "The database is made unreachable for the scenario's requests only.", seconds: 1 },
];

type Run = { state: "running"; startedAt: number } | { state: "done"; result: { checks: Check[]; durationMs: number } } | { state: "failed"; message: string };

// Runs in the page itself: what can script in this page read?
function scriptRead(accessToken: string | null): Check[] {
  const visible = document.cookie;
  return [
    {
      mechanism: "session",
      label: "document.cookie contains the session cookie",
      expected: "no: it is HttpOnly",
      observed: visible.includes("svj_session") ? "yes" : `no (document.cookie = ${JSON.stringify(visible)})`,
      pass: !visible.includes("svj_session"),
    },
    {
      mechanism: "jwt",
      label: "document.cookie contains the refresh token",
      expected: "no: it is HttpOnly and scoped to /api/auth/refresh",
      observed: visible.includes("svj_refresh") ? "yes" : "no",
      pass: !visible.includes("svj_refresh"),
    },
    {
      mechanism: "jwt",
      label: "Page script can read the access token",
      expected: "yes, if signed in with a JWT: it lives in page memory, so injected script could steal it (hence 5-minute lifetimes)",
      observed: accessToken ? `yes (${accessToken.slice(0, 16)}…)` : "no token in this page",
      pass: true,
    },
  ];
}

export function Scenarios({ traced, demoControls, accessToken, signedIn, onMeasured }: Props) {
  const [runs, setRuns] = useState<Record<string, Run>>({});

  async function run(name: ScenarioName | "script-read") {
    const startedAt = Date.now();
    setRuns((r) => ({ ...r, [name]: { state: "running", startedAt } }));
    if (name === "script-read") {
      setRuns((r) => ({ ...r, [name]: { state: "done", result: { checks: scriptRead(accessToken), durationMs: Date.now() - startedAt } } }));
      return;
    }
    const result = await traced<ScenarioResult & { error_description?: string }>("none", `/api/scenarios/${name}`, {
      method: "POST",
      headers: accessToken ? { authorization: `Bearer ${accessToken}` } : {},
    });
    if (result.response.ok && result.body) {
      onMeasured(result.body.measured);
      setRuns((r) => ({ ...r, [name]: { state: "done", result: result.body! } }));
    } else {
      setRuns((r) => ({ ...r, [name]: { state: "failed", message: result.body?.error_description ?? `HTTP ${result.response.status}` } }));
    }
  }

  return (
    <section aria-labelledby="scenarios-title" className="space-y-3">
      <div>
        <h2 id="scenarios-title" className="text-lg font-semibold">Scenarios</h2>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Real experiments against this server, with what should happen and what did. {signedIn ? "" : "Sign in on either side first."}
        </p>
      </div>
      <ol className="grid gap-3 md:grid-cols-2">
        {SCENARIOS.map((scenario) => {
          const current = runs[scenario.name];
          return (
            <li key={scenario.name} data-testid={`scenario-${scenario.name}`} className="space-y-2 rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
              <div className="flex items-start justify-between gap-3">
                <div>
                  <h3 className="font-medium">{scenario.title}</h3>
                  <p className="text-sm text-zinc-600 dark:text-zinc-400">{scenario.what}</p>
                </div>
                <button
                  type="button"
                  onClick={() => run(scenario.name)}
                  disabled={!signedIn || current?.state === "running" || (scenario.name === "key-rotation" && !demoControls)}
                  title={scenario.name === "key-rotation" && !demoControls ? "Turned off on this server (DEMO_CONTROLS=off)" : undefined}
                  aria-busy={current?.state === "running" || undefined}
                  className="shrink-0 rounded-md border border-zinc-300 px-3 py-1.5 text-sm font-medium hover:bg-zinc-100 disabled:opacity-50 dark:border-zinc-700 dark:hover:bg-zinc-800"
                >
                  {current?.state === "running" ? "Running…" : "Run"}
                </button>
              </div>
              {current?.state === "running" ? (
                <p role="status" className="flex items-center gap-2 text-sm text-zinc-500">
                  <span aria-hidden className="size-3.5 animate-spin rounded-full border-2 border-current border-r-transparent" />
                  Running{scenario.seconds > 2 ? ` (takes about ${scenario.seconds} s)` : ""}…
                </p>
              ) : null}
              {current?.state === "failed" ? <p className="text-sm text-red-600 dark:text-red-400">{current.message}</p> : null}
              {current?.state === "done" ? (
                <ul className="space-y-2" data-testid="scenario-checks">
                  {current.result.checks.map((check) => (
                    <li key={check.label} data-testid="scenario-check" data-pass={check.pass} className="rounded-md bg-zinc-50 p-2 text-sm dark:bg-zinc-950">
                      <p className="font-medium">
                        <span aria-label={check.pass ? "as expected" : "not as expected"} className={check.pass ? "text-emerald-600 dark:text-emerald-400" : "text-red-600 dark:text-red-400"}>
                          {check.pass ? "✓" : "✗"}
                        </span>{" "}
                        <span className={check.mechanism === "session" ? "text-session-700 dark:text-session-300" : "text-jwt-700 dark:text-jwt-300"}>{check.mechanism}</span>: {check.label}
                      </p>
                      <p className="text-xs text-zinc-600 dark:text-zinc-400">Expected: {check.expected}</p>
                      <p className="text-xs" data-testid="scenario-observed">Observed: {check.observed}</p>
                    </li>
                  ))}
                  {current.result.checks.length === 0 ? <li className="text-sm text-zinc-500">Nothing to test: sign in on that side first.</li> : null}
                </ul>
              ) : null}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
