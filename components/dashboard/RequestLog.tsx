"use client";
import type { LoggedRequest } from "./requests";
import { Clock } from "@/components/Time";

const TONE: Record<LoggedRequest["mechanism"], string> = {
  session: "bg-session-100 text-session-700 dark:bg-session-950 dark:text-session-300",
  jwt: "bg-jwt-100 text-jwt-700 dark:bg-jwt-950 dark:text-jwt-300",
  none: "bg-zinc-100 text-zinc-600 dark:bg-zinc-800 dark:text-zinc-300",
};

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
      <div className="relative max-h-96 overflow-auto rounded-lg border border-zinc-200 dark:border-zinc-800">
        <table className="w-full min-w-2xl text-left text-sm" data-testid="request-log">
          <caption className="sr-only">Requests made from this page, newest first</caption>
          <thead className="sticky top-0 bg-zinc-100 text-xs uppercase tracking-wide text-zinc-600 dark:bg-zinc-900 dark:text-zinc-400">
            <tr>
              {["Time", "Mechanism", "Request", "Status", "Round trip", "Auth check", "Reason"].map((h) => (
                <th key={h} scope="col" className="px-3 py-2 font-medium">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
            {entries.length === 0 ? (
              <tr>
                <td colSpan={7} className="px-3 py-6 text-center text-zinc-500">
                  No requests yet. Sign in on either side, or press a button.
                </td>
              </tr>
            ) : (
              entries.map((e) => (
                <tr key={e.id} data-testid="request-log-row" data-mechanism={e.mechanism} data-status={e.status}>
                  <td className="px-3 py-1.5">
                    <Clock value={e.at} />
                  </td>
                  <td className="px-3 py-1.5">
                    <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${TONE[e.mechanism]}`}>
                      {e.mechanism === "none" ? "other" : e.mechanism}
                    </span>
                  </td>
                  <td className="px-3 py-1.5 font-mono text-xs">
                    {e.method} {e.path}
                  </td>
                  <td className={`px-3 py-1.5 font-mono ${e.status >= 400 ? "text-red-600 dark:text-red-400" : ""}`}>
                    {e.status}
                  </td>
                  <td className="px-3 py-1.5 font-mono text-xs">{e.latencyMs.toFixed(1)} ms</td>
                  <td className="px-3 py-1.5 font-mono text-xs" title={e.authKind ?? undefined}>
                    {e.authMs === null ? "—" : `${e.authMs.toFixed(2)} ms`}
                    {e.authKind === "first sight" ? (
                      <span className="font-sans text-zinc-600 dark:text-zinc-400"> (first)</span>
                    ) : null}
                  </td>
                  <td className="px-3 py-1.5 text-xs text-zinc-600 dark:text-zinc-400">{e.reason ?? ""}</td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}
