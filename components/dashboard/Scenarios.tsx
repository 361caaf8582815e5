"use client";
import { useEffect, useRef, useState } from "react";
import { SCENARIO_CATALOG, scenarioLabel, STEPS_MEDIA_TYPE, type CatalogName } from "@/lib/showcase/scenario-catalog";
import type { Check, Measured, ScenarioResult } from "@/lib/showcase/scenarios";
import { REFRESH_COOKIE, REFRESH_PATH, SESSION_COOKIE } from "@/lib/cookie-names";
import type { Traced } from "./requests";
import { runSeveralTabs } from "./tabs/several-tabs";
import type { Comparison } from "./tabs/verdict";
import { cookiesScriptSeesAt } from "@/components/page-script";

type Props = {
  traced: Traced;
  demoControls: boolean;
  accessToken: string | null;
  sessionSignedIn: boolean;
  onMeasured: (measured: Measured) => void;
};

// `timeline`: the steps a server experiment reported as it ran.
type Run =
  | { state: "running"; step?: string; timeline?: string[] }
  | { state: "done"; result: { checks: Check[]; durationMs: number; comparison?: Comparison }; timeline?: string[] }
  | { state: "failed"; message: string; timeline?: string[] };

// The live timeline shows the latest steps; the whole of it stays after the run.
const LIVE_STEPS = 6;

// Same-origin endpoints page script can fetch with this browser's cookies
// (and the page's access token): none may answer with a session cookie
// value or a refresh token.
const READABLE_ENDPOINTS = [
  "/api/session",
  "/api/session/inspect",
  "/api/sessions",
  "/api/devices",
  "/api/me",
  "/api/auth/family",
];
// A whole iron seal (Fe26.2 and its 7 fields): a session cookie value.
const SEALED_COOKIE = /Fe26\.2\*\d*\*[\w-]+\*[\w-]+\*[\w-]+\*\d*\*[\w-]+\*[\w-]+/;

// Runs in the page itself, as injected script would: every way it has to get
// each credential, and what it got.
async function scriptRead(
  accessToken: string | null,
  signedIn: { session: boolean; jwt: boolean },
): Promise<{ checks: Check[]; durationMs: number }> {
  const started = performance.now();
  const checks: Check[] = [];
  if (signedIn.session) {
    const visible = document.cookie;
    checks.push({
      mechanism: "session",
      label: "document.cookie shows the session cookie",
      outcome: visible.includes(SESSION_COOKIE)
        ? { tone: "bad", said: "Page script reads the session cookie" }
        : { tone: "good", said: "Out of page script's reach" },
      expected: "no: it is HttpOnly",
      observed: visible.includes(SESSION_COOKIE) ? "yes" : `no (document.cookie = ${JSON.stringify(visible)})`,
      pass: !visible.includes(SESSION_COOKIE),
    });
  }
  if (signedIn.jwt) {
    const visible = cookiesScriptSeesAt(REFRESH_PATH);
    checks.push({
      mechanism: "jwt",
      label: "document.cookie at /api/auth/refresh shows the refresh cookie",
      outcome: visible.includes(REFRESH_COOKIE)
        ? { tone: "bad", said: "Page script reads the refresh token" }
        : { tone: "good", said: "Out of page script's reach" },
      expected: "no: it is HttpOnly (its Path alone would not hide it)",
      observed: visible.includes(REFRESH_COOKIE) ? "yes" : `no (document.cookie there = ${JSON.stringify(visible)})`,
      pass: !visible.includes(REFRESH_COOKIE),
    });
  }
  const leaks: string[] = [];
  for (const path of READABLE_ENDPOINTS) {
    const response = await fetch(path, { headers: accessToken ? { authorization: `Bearer ${accessToken}` } : {} });
    const text = await response.text();
    if (SEALED_COOKIE.test(text)) leaks.push(`${path} (a sealed session cookie)`);
    if (/"refresh_token"\s*:\s*"/.test(text)) leaks.push(`${path} (a refresh token)`);
  }
  checks.push({
    mechanism: signedIn.session ? "session" : "jwt",
    label: `Fetching every readable endpoint (${READABLE_ENDPOINTS.join(", ")}) returns a cookie credential`,
    outcome:
      leaks.length === 0
        ? { tone: "good", said: "No answer hands a cookie credential to script" }
        : { tone: "bad", said: `Handed to script: ${leaks.join(", ")}` },
    expected: "no: responses describe the credentials (lengths, hash prefixes), never contain them",
    observed: leaks.length === 0 ? `no (${READABLE_ENDPOINTS.length} responses searched)` : `yes: ${leaks.join(", ")}`,
    pass: leaks.length === 0,
  });
  if (accessToken) {
    const replay = await fetch("/api/me", { headers: { authorization: `Bearer ${accessToken}` } });
    checks.push({
      mechanism: "jwt",
      label: "Script can read the access token from page memory and use it",
      outcome:
        replay.status === 200
          ? { tone: "bad", said: "Page script read the access token and used it" }
          : { tone: "good", said: `Page script's use of the token refused (${replay.status})` },
      expected: "yes (200): a token held by page script is within reach of injected script, hence short lifetimes",
      observed: `read ${accessToken.length} characters; /api/me with them → ${replay.status}`,
      pass: replay.status === 200,
    });
  }
  return { checks, durationMs: Math.round(performance.now() - started) };
}

// Steps as the server reported them: "Token: replay 3 → 200 at 0.8 s".
function Timeline({ steps, live = false }: { steps: string[]; live?: boolean }) {
  return (
    <ol
      data-testid={live ? "scenario-timeline-live" : "scenario-timeline"}
      className="mt-1 space-y-0.5 font-mono text-xs text-zinc-600 dark:text-zinc-400"
    >
      {steps.map((step, i) => (
        <li key={`${i}-${step}`} className={/→ 401\b/.test(step) ? "text-emerald-800 dark:text-emerald-300" : ""}>
          {step}
        </li>
      ))}
    </ol>
  );
}

const OUTCOME_TONE: Record<Check["outcome"]["tone"], string> = {
  bad: "bg-red-50 text-red-800 dark:bg-red-950/50 dark:text-red-200",
  good: "bg-emerald-50 text-emerald-800 dark:bg-emerald-950/50 dark:text-emerald-200",
  info: "bg-zinc-100 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-200",
};

// Where focus goes when a run ends: its outcome, so that keyboard and
// screen-reader users land on what happened rather than on a button.
const focusOnArrival = (element: HTMLElement | null) => element?.focus();

// What the experiment shows, when it went as expected; when a check did
// not, the sentence is not offered as proved.
function Takeaway({ text, held, arrived }: { text: string; held: boolean; arrived: (e: HTMLElement | null) => void }) {
  return (
    <p
      ref={arrived}
      tabIndex={-1}
      data-testid="scenario-takeaway"
      data-held={held}
      className={`rounded-md border-l-4 p-2 text-sm ${held ? "border-emerald-600 bg-emerald-50 dark:border-emerald-400 dark:bg-emerald-950" : "border-red-600 bg-red-50 dark:border-red-400 dark:bg-red-950"}`}
    >
      <span className="font-semibold">{held ? "What this shows: " : "Not as expected: "}</span>
      {held ? text : `a check below did not go as expected, so this run does not show what it is meant to (${text})`}
    </p>
  );
}

function ComparisonTable({ comparison }: { comparison: Comparison }) {
  return (
    <table data-testid="scenario-comparison" className="w-full table-fixed text-left text-xs">
      <thead>
        <tr>
          {comparison.head.map((cell, i) => (
            <th
              key={i}
              scope="col"
              className={`px-1 py-1 align-bottom font-medium ${i === 0 ? "w-2/5" : "text-right"}`}
            >
              {cell}
            </th>
          ))}
        </tr>
      </thead>
      <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
        {comparison.rows.map(([measure, ...values]) => (
          <tr key={measure}>
            <th scope="row" className="px-1 py-1 font-normal text-zinc-600 dark:text-zinc-400">
              {measure}
            </th>
            {values.map((value, i) => (
              <td key={i} className="px-1 py-1 text-right tabular-nums">
                {value}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function Scenarios({ traced, demoControls, accessToken, sessionSignedIn, onMeasured }: Props) {
  const signedIn = sessionSignedIn || accessToken !== null;
  const [runs, setRuns] = useState<Record<string, Run>>({});
  // For an experiment that outlives the token it started with.
  const currentToken = useRef(accessToken);
  useEffect(() => {
    currentToken.current = accessToken;
  }, [accessToken]);

  async function run(name: CatalogName) {
    setRuns((r) => ({ ...r, [name]: { state: "running" } }));
    if (name === "script-read") {
      const result = await scriptRead(accessToken, { session: sessionSignedIn, jwt: accessToken !== null });
      setRuns((r) => ({ ...r, [name]: { state: "done", result } }));
      return;
    }
    if (name === "several-tabs") {
      try {
        const result = await runSeveralTabs(
          traced,
          () => currentToken.current,
          (step) => setRuns((r) => ({ ...r, [name]: { state: "running", step } })),
        );
        setRuns((r) => ({ ...r, [name]: { state: "done", result } }));
      } catch (error) {
        setRuns((r) => ({ ...r, [name]: { state: "failed", message: (error as Error).message } }));
      }
      return;
    }
    const timeline: string[] = [];
    const result = await traced<ScenarioResult & { error_description?: string }>("none", `/api/scenarios/${name}`, {
      method: "POST",
      headers: { accept: STEPS_MEDIA_TYPE, ...(accessToken ? { authorization: `Bearer ${accessToken}` } : {}) },
      onLine: (line) => {
        const step = (line as { step?: unknown }).step;
        if (typeof step !== "string") return;
        timeline.push(step);
        setRuns((r) => ({ ...r, [name]: { state: "running", timeline: [...timeline] } }));
      },
    });
    if (result.response.ok && result.body && !result.body.error_description) {
      onMeasured(result.body.measured);
      setRuns((r) => ({ ...r, [name]: { state: "done", result: result.body!, timeline } }));
    } else {
      setRuns((r) => ({
        ...r,
        [name]: {
          state: "failed",
          message: result.body?.error_description ?? `HTTP ${result.response.status}`,
          timeline,
        },
      }));
    }
  }

  return (
    <section aria-labelledby="scenarios-title" className="space-y-3">
      <div>
        <h2 id="scenarios-title" className="text-lg font-semibold">
          Scenarios
        </h2>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Real experiments against this server, with what should happen and what did.{" "}
          {signedIn ? "" : "Sign in on either side first."}
        </p>
      </div>
      <ol className="grid gap-3 md:grid-cols-2">
        {SCENARIO_CATALOG.map((scenario) => {
          const current = runs[scenario.name];
          const switchedOff = scenario.name === "key-rotation" && !demoControls;
          return (
            <li
              key={scenario.name}
              id={`scenario-${scenario.name}`}
              data-testid={`scenario-${scenario.name}`}
              className="scroll-mt-4 space-y-2 rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900"
            >
              <div className="flex items-start justify-between gap-3">
                <div>
                  <h3 className="font-medium">{scenarioLabel(scenario.name)}</h3>
                  <p className="text-sm text-zinc-600 dark:text-zinc-400">{scenario.what}</p>
                </div>
                <button
                  type="button"
                  onClick={() => run(scenario.name)}
                  aria-label={`Run: ${scenario.title}`}
                  disabled={!signedIn || current?.state === "running" || switchedOff}
                  aria-describedby={switchedOff ? "key-rotation-off" : undefined}
                  aria-busy={current?.state === "running" || undefined}
                  className="shrink-0 rounded-md border border-zinc-300 px-3 py-1.5 text-sm font-medium hover:bg-zinc-100 disabled:opacity-50 dark:border-zinc-700 dark:hover:bg-zinc-800"
                >
                  {current?.state === "running" ? "Running…" : "Run"}
                </button>
              </div>
              {switchedOff ? (
                <p
                  id="key-rotation-off"
                  data-testid="key-rotation-off"
                  className="text-xs text-zinc-600 dark:text-zinc-400"
                >
                  Off on this server (DEMO_CONTROLS=off): rotating the signing key acts for every visitor. Locally,{" "}
                  <code>npm run demo</code> turns it on.
                </p>
              ) : null}
              {current?.state === "running" ? (
                <>
                  <p role="status" className="flex items-center gap-2 text-sm text-zinc-500 dark:text-zinc-400">
                    <span
                      aria-hidden
                      className="size-3.5 animate-spin rounded-full border-2 border-current border-r-transparent"
                    />
                    {current.step
                      ? `${current.step}…`
                      : `Running${scenario.seconds > 2 ? ` (takes about ${scenario.seconds} s)` : ""}…`}
                  </p>
                  {current.timeline?.length ? <Timeline steps={current.timeline.slice(-LIVE_STEPS)} live /> : null}
                </>
              ) : null}
              {current && current.state !== "running" && current.timeline?.length ? (
                <details className="text-sm">
                  <summary className="cursor-pointer text-zinc-600 dark:text-zinc-400">
                    Timeline ({current.timeline.length} steps)
                  </summary>
                  <Timeline steps={current.timeline} />
                </details>
              ) : null}
              {current?.state === "failed" ? (
                <p
                  ref={focusOnArrival}
                  tabIndex={-1}
                  data-testid="scenario-failed"
                  className="text-sm text-red-600 dark:text-red-400"
                >
                  {current.message}
                </p>
              ) : null}
              {current?.state === "done" && current.result.checks.length > 0 ? (
                <Takeaway
                  text={scenario.takeaway}
                  held={current.result.checks.every((check) => check.pass)}
                  arrived={focusOnArrival}
                />
              ) : null}
              {current?.state === "done" && current.result.comparison ? (
                <ComparisonTable comparison={current.result.comparison} />
              ) : null}
              {current?.state === "done" ? (
                <ul className="space-y-2" data-testid="scenario-checks">
                  {current.result.checks.map((check) => (
                    <li
                      key={check.label}
                      data-testid="scenario-check"
                      data-pass={check.pass}
                      className="rounded-md bg-zinc-50 p-2 text-sm dark:bg-zinc-950"
                    >
                      <p className="font-medium">
                        <span
                          className={
                            check.mechanism === "session"
                              ? "text-session-700 dark:text-session-300"
                              : "text-jwt-700 dark:text-jwt-300"
                          }
                        >
                          {check.mechanism}
                        </span>
                        : {check.label}
                      </p>
                      {/* What happened for the defender first; whether the
                          experiment expected it, second. */}
                      <p className="my-1 flex flex-wrap items-center gap-x-2 gap-y-1 text-xs">
                        <span
                          data-testid="scenario-outcome"
                          data-tone={check.outcome.tone}
                          className={`rounded px-1.5 py-0.5 font-medium ${OUTCOME_TONE[check.outcome.tone]}`}
                        >
                          {check.outcome.said}
                        </span>
                        <span
                          className={check.pass ? "text-zinc-600 dark:text-zinc-400" : "text-red-700 dark:text-red-300"}
                        >
                          {check.pass ? "✓ as expected" : "✗ not as expected"}
                        </span>
                      </p>
                      <p className="text-xs text-zinc-600 dark:text-zinc-400">Expected: {check.expected}</p>
                      <p className="text-xs" data-testid="scenario-observed">
                        Observed: {check.observed}
                      </p>
                    </li>
                  ))}
                  {current.result.checks.length === 0 ? (
                    <li className="text-sm text-zinc-500 dark:text-zinc-400">
                      Nothing to test: sign in on that side first.
                    </li>
                  ) : null}
                </ul>
              ) : null}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
