"use client";
// "Run the lab": a throwaway account of the visitor's own (POST
// /api/sandbox), signed in every way from this page first, so that what
// page script can read of each credential is measured here, in the browser,
// as injected script would find it; then the server's run (POST
// /api/lab/run), its steps shown as they happen, and the table filled from
// what it measured.
import { useState, useSyncExternalStore } from "react";
import { Button } from "@/components/Button";
import { cookiesScriptSeesAt } from "@/components/page-script";
import { readLines } from "@/components/dashboard/requests";
import { labCookieName, labCookiePath, MAX_COOKIE_BYTES } from "@/lib/cookie-names";
import { STEPS_MEDIA_TYPE } from "@/lib/showcase/scenario-catalog";
import type { LabRun, LastLabRun, PageScriptReport } from "@/lib/showcase/lab-run";
import { measureCookieLimit } from "./browser-cookie-limit";
import { LAB_ROWS, sizeRow } from "./cells";
import { LabTable } from "./LabTable";
import { RevocationTimeline } from "./RevocationTimeline";

type Strategy = { name: string; transport: "cookie" | "header" };
type Account = { email: string; password: string };

type State =
  | { phase: "idle" }
  | { phase: "running"; steps: string[] }
  | { phase: "done"; run: LabRun }
  | { phase: "failed"; message: string; steps: string[] };

const postJson = (path: string, body: unknown) =>
  fetch(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

async function failure(response: Response, what: string): Promise<Error> {
  const body = (await response.json().catch(() => null)) as { error_description?: string } | null;
  return new Error(`${what}: ${response.status}${body?.error_description ? ` (${body.error_description})` : ""}`);
}

// Signs the account in with each strategy from this page and looks for the
// credential where page script can: the cookies at the strategy's own path
// (only HttpOnly hides them), or the answer a header strategy must hand to
// script for it to send the token at all.
async function whatPageScriptReads(strategies: Strategy[], account: Account): Promise<PageScriptReport> {
  const report: PageScriptReport = {};
  const secure = window.location.protocol === "https:";
  for (const { name, transport } of strategies) {
    const answer = await postJson(`/api/lab/${name}/sign-in`, account);
    if (!answer.ok) throw await failure(answer, `Signing in with ${name} from this page`);
    const body = (await answer.json()) as { access_token?: string };
    if (transport === "header") {
      report[name] = { copy: body.access_token ?? null };
      continue;
    }
    const own = labCookieName(name, "", secure);
    const visible = cookiesScriptSeesAt(labCookiePath(name))
      .split("; ")
      .filter((pair) => pair.startsWith(`${own}=`) || pair.startsWith(`${own}_`));
    report[name] = { copy: visible.length ? visible.join("; ") : null };
  }
  return report;
}

const stepId = (step: number) => `lab-step-${step}`;
// A browser's cookie limit does not change while the page is open.
const noChanges = () => () => {};

function Steps({ steps, live }: { steps: string[]; live: boolean }) {
  return (
    <ol
      data-testid={live ? "lab-steps-live" : "lab-steps"}
      aria-live={live ? "polite" : undefined}
      // Scrollable, so focusable: a keyboard can scroll it too.
      tabIndex={0}
      aria-label={live ? "The run's steps so far" : "The run's steps"}
      className="max-h-96 space-y-0.5 overflow-y-auto font-mono text-xs text-zinc-600 dark:text-zinc-400"
    >
      {steps.map((step, i) => (
        <li
          key={`${i}-${step}`}
          id={stepId(i)}
          className="scroll-mt-20 rounded px-1 target:bg-amber-100 dark:target:bg-amber-900/40"
        >
          <span className="mr-2 tabular-nums text-zinc-500 dark:text-zinc-400">{i + 1}.</span>
          {step}
        </li>
      ))}
    </ol>
  );
}

export function LabRunner({ strategies, last }: { strategies: Strategy[]; last: LastLabRun }) {
  const lastRun = last.status === "ok" ? last.run : null;
  const [state, setState] = useState<State>({ phase: "idle" });
  const running = state.phase === "running";
  const shown = state.phase === "done" ? state.run : state.phase === "idle" ? lastRun : null;
  // undefined: not measured (on the server); null: this browser keeps no cookie at all.
  const cookieLimit = useSyncExternalStore(noChanges, measureCookieLimit, () => undefined);
  const rows = [...LAB_ROWS, sizeRow(cookieLimit ?? MAX_COOKIE_BYTES)];

  async function run() {
    const steps: string[] = [];
    const step = (text: string) => {
      steps.push(text);
      setState({ phase: "running", steps: [...steps] });
    };
    try {
      step("Making a throwaway account (POST /api/sandbox)");
      const made = await fetch("/api/sandbox", { method: "POST" });
      if (!made.ok) throw await failure(made, "Making a throwaway account");
      const account = (await made.json()) as Account;
      step(`Signing ${account.email} in with each strategy from this page, to see what page script can read`);
      const pageScript = await whatPageScriptReads(strategies, account);
      step("The server's run (POST /api/lab/run):");
      const response = await fetch("/api/lab/run", {
        method: "POST",
        headers: { "content-type": "application/json", accept: STEPS_MEDIA_TYPE },
        body: JSON.stringify({ ...account, page_script: pageScript }),
      });
      if (!response.ok) throw await failure(response, "The lab run");
      const last = await readLines(response, (line) => {
        const { step: text } = line as { step?: string };
        if (text) step(text);
      });
      const result = JSON.parse(last) as LabRun | { error_description?: string };
      if (!("strategies" in result)) throw new Error(result.error_description ?? "The lab run failed.");
      setState({ phase: "done", run: result });
    } catch (error) {
      setState({ phase: "failed", message: (error as Error).message, steps });
    }
  }

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-3">
        <Button type="button" onClick={run} pending={running} data-testid="run-lab">
          {running ? "Running…" : "Run the lab"}
        </Button>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          {running
            ? "Measuring every strategy, then watching each revoked credential; about a minute."
            : shown
              ? `Showing the run of ${new Date(shown.startedAt).toUTCString()} on ${shown.database === "postgres" ? "PostgreSQL" : "SQLite"}, ${(shown.durationMs / 1000).toFixed(0)} s${state.phase === "idle" ? " (the last on this server)" : ""}.`
              : last.status === "unavailable"
                ? "The database is unavailable, so the last run cannot be read, and a run would fail."
                : "No run yet on this server: a run takes about a minute, on a throwaway account of your own."}
        </p>
      </div>
      {state.phase === "running" && <Steps steps={state.steps} live />}
      {state.phase === "failed" && (
        <div
          role="alert"
          data-testid="lab-failed"
          className="space-y-2 rounded-lg border border-red-300 p-3 text-sm dark:border-red-800"
        >
          <p className="text-red-700 dark:text-red-300">{state.message}</p>
          <Steps steps={state.steps} live={false} />
        </div>
      )}
      {shown && (
        <>
          <LabTable run={shown} stepHref={(step) => `#${stepId(step)}`} rows={rows} />
          <p data-testid="browser-cookie-limit" className="text-xs text-zinc-600 dark:text-zinc-400">
            {cookieLimit
              ? `This browser keeps one cookie of at most ${cookieLimit.toLocaleString("en-US")} bytes (its name and value), measured by this page's script just now; the size row counts a longer cookie as dropped.`
              : `The size row counts a cookie longer than ${MAX_COOKIE_BYTES.toLocaleString("en-US")} bytes (name and value) as dropped, as RFC 6265bis has browsers do${cookieLimit === null ? "; this browser keeps no cookies at all" : ""}.`}{" "}
            This server sets no cookie longer than {MAX_COOKIE_BYTES.toLocaleString("en-US")} bytes; what stopped each
            size is in its step.
          </p>
          <section aria-labelledby="timeline-heading" className="space-y-2">
            <h2 id="timeline-heading" className="text-lg font-semibold">
              How long a revoked credential keeps working
            </h2>
            <RevocationTimeline run={shown} stepHref={(step) => `#${stepId(step)}`} />
          </section>
          <details open className="rounded-lg border border-zinc-200 p-3 dark:border-zinc-800">
            <summary className="cursor-pointer text-sm font-medium">
              Every step of the run ({shown.steps.length})
            </summary>
            <div className="mt-2">
              <Steps steps={shown.steps} live={false} />
            </div>
          </details>
        </>
      )}
    </div>
  );
}
