"use client";
import type { LoggedRequest } from "./requests";
import { Clock } from "@/components/Time";

const TONE: Record<LoggedRequest["mechanism"], string> = {
  session: "bg-session-100 text-session-700 dark:bg-session-950 dark:text-session-300",
  jwt: "bg-jwt-100 text-jwt-700 dark:bg-jwt-950 dark:text-jwt-300",
  none: "bg-zinc-100 text-zinc-600 dark:bg-zinc-800 dark:text-zinc-300",
};

// Each heading, and whether it keeps a column of its own on a phone.
const COLUMNS = [
  ["Time", false],
  ["Mechanism", false],
  ["Request", true],
  ["Status", true],
  ["Round trip", false],
  ["Auth check", false],
  ["Reason", false],
] as const;
const WIDE = "px-3 py-1.5 max-sm:hidden";

function Mechanism({ entry }: { entry: LoggedRequest }) {
  return (
    <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${TONE[entry.mechanism]}`}>
      {entry.mechanism === "none" ? "other" : entry.mechanism}
    </span>
  );
}

function AuthCheck({ entry }: { entry: LoggedRequest }) {
  return (
    <>
      {entry.authMs === null ? "—" : `${entry.authMs.toFixed(2)} ms`}
      {entry.authKind === "first sight" ? (
        <span className="font-sans text-zinc-600 dark:text-zinc-400"> (first)</span>
      ) : null}
    </>
  );
}

function Row({ entry: e }: { entry: LoggedRequest }) {
  const roundTrip = `${e.latencyMs.toFixed(1)} ms`;
  return (
    <tr data-testid="request-log-row" data-mechanism={e.mechanism} data-status={e.status} className="align-top">
      <td className={WIDE}>
        <Clock value={e.at} />
      </td>
      <td className={WIDE}>
        <Mechanism entry={e} />
      </td>
      <td className="px-3 py-1.5 font-mono text-xs max-sm:break-all">
        <span className="mr-2 sm:hidden">
          <Mechanism entry={e} />
        </span>
        {e.method} {e.path}
        <span className="mt-1 block font-sans text-zinc-600 sm:hidden dark:text-zinc-400">
          <Clock value={e.at} /> · {roundTrip} · auth <AuthCheck entry={e} />
          {e.reason ? <span className="block">{e.reason}</span> : null}
        </span>
      </td>
      <td className={`px-3 py-1.5 font-mono ${e.status >= 400 ? "text-red-700 dark:text-red-400" : ""}`}>{e.status}</td>
      <td className={`${WIDE} font-mono text-xs`}>{roundTrip}</td>
      <td className={`${WIDE} font-mono text-xs`} title={e.authKind ?? undefined}>
        <AuthCheck entry={e} />
      </td>
      <td className={`${WIDE} text-xs text-zinc-600 dark:text-zinc-400`}>{e.reason ?? ""}</td>
    </tr>
  );
}

export function RequestLog({ entries, onClear }: { entries: LoggedRequest[]; onClear: () => void }) {
  return (
    <section aria-labelledby="request-log-title" className="space-y-3">
      <div className="flex items-center justify-between">
        <h2 id="request-log-title" className="text-lg font-semibold">
          Request log
        </h2>
        <button
          type="button"
          onClick={onClear}
          className="text-sm text-sky-700 underline underline-offset-4 dark:text-sky-400"
        >
          Clear
        </button>
      </div>
      {/* On a phone the table keeps two columns, the request and its status;
          the rest moves under the request, so nothing sits off-screen. */}
      <div
        tabIndex={0}
        role="region"
        aria-label="Request log entries, scrollable"
        className="relative max-h-96 overflow-auto rounded-lg border border-zinc-200 dark:border-zinc-800"
      >
        <table className="w-full text-left text-sm sm:min-w-2xl" data-testid="request-log">
          <caption className="sr-only">Requests made from this page, newest first</caption>
          <thead className="sticky top-0 bg-zinc-100 text-xs uppercase tracking-wide text-zinc-600 dark:bg-zinc-900 dark:text-zinc-400">
            <tr>
              {COLUMNS.map(([heading, phone]) => (
                <th key={heading} scope="col" className={`px-3 py-2 font-medium ${phone ? "" : "max-sm:hidden"}`}>
                  {heading}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
            {entries.length === 0 ? (
              <tr>
                <td colSpan={COLUMNS.length} className="px-3 py-6 text-center text-zinc-600 dark:text-zinc-400">
                  No requests yet. Sign in on either side, or press a button.
                </td>
              </tr>
            ) : (
              entries.map((e) => <Row key={e.id} entry={e} />)
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}
