"use client";
import { useCallback, useMemo, useState } from "react";
import { useRequestLog, type LoggedRequest } from "./requests";
import { SessionColumn } from "./SessionColumn";
import type { CookieInspection, SessionState } from "./session/useSessionClient";
import { JwtColumn } from "./JwtColumn";
import { OtherService } from "./OtherService";
import { RequestLog } from "./RequestLog";
import { Scenarios } from "./Scenarios";
import { scenarioLabel } from "@/lib/showcase/scenario-catalog";
import type { Measured } from "@/lib/showcase/scenarios";

type Props = {
  demo: { email: string; password: string } | null;
  demoControls: boolean;
  // The separate resource server (resource-server/), which the page calls directly.
  resourceServerUrl: string | null;
};

type SessionSide = { session: SessionState | null; cookie: CookieInspection | null; rows: number | null };
type JwtSide = { token: string | null; rows: number | null; denylist: boolean | null };

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

// Server time per check, from the Server-Timing of this page's own
// successful requests.
function medianAuthMs(entries: LoggedRequest[], mechanism: "session" | "jwt"): { ms: number | null; n: number } {
  const samples = entries
    .filter((e) => e.mechanism === mechanism && e.status < 400 && e.authMs !== null)
    .map((e) => e.authMs!);
  return { ms: median(samples), n: samples.length };
}

export function Dashboard({ demo, demoControls, resourceServerUrl }: Props) {
  const { entries, traced, clear } = useRequestLog();
  const [sessionSide, setSessionSide] = useState<SessionSide>({ session: null, cookie: null, rows: null });
  const [jwtSide, setJwtSide] = useState<JwtSide>({ token: null, rows: null, denylist: null });
  const onSession = useCallback((s: SessionSide) => setSessionSide(s), []);
  const onJwt = useCallback((s: JwtSide) => setJwtSide(s), []);
  const [measured, setMeasured] = useState<Measured>({});
  const onMeasured = useCallback((m: Measured) => setMeasured((current) => ({ ...current, ...m })), []);

  const sessionCost = useMemo(() => medianAuthMs(entries, "session"), [entries]);
  const jwtCost = useMemo(() => medianAuthMs(entries, "jwt"), [entries]);
  const jwtBytes = jwtSide.token ? new TextEncoder().encode(`Authorization: Bearer ${jwtSide.token}`).length : null;

  const strip: { label: string; session: string; jwt: string }[] = [
    {
      label: "Bytes added to each request",
      session: sessionSide.cookie ? `${sessionSide.cookie.headerBytes} B (Cookie)` : "—",
      jwt: jwtBytes ? `${jwtBytes} B (Authorization)` : "—",
    },
    {
      label: "Server time per check (median, Server-Timing)",
      session: sessionCost.ms === null ? "—" : `${sessionCost.ms.toFixed(2)} ms (n=${sessionCost.n})`,
      jwt: jwtCost.ms === null ? "—" : `${jwtCost.ms.toFixed(2)} ms (n=${jwtCost.n})`,
    },
    {
      label: "Rows the server holds for you",
      session: sessionSide.rows === null ? "—" : `${sessionSide.rows} session row${sessionSide.rows === 1 ? "" : "s"}`,
      jwt:
        jwtSide.rows === null
          ? "—"
          : `${jwtSide.rows} refresh-token row${jwtSide.rows === 1 ? "" : "s"} (+ signing keys)`,
    },
    {
      label: `Revocation took effect after (scenario “${scenarioLabel("revoke-replay")}”)`,
      session:
        measured.sessionRevocationMs === undefined
          ? `run “${scenarioLabel("revoke-replay")}”`
          : `${measured.sessionRevocationMs} ms (the next request)`,
      jwt:
        measured.jwtRevocationMs === undefined
          ? `run “${scenarioLabel("revoke-replay")}”`
          : `${(measured.jwtRevocationMs / 1000).toFixed(1)} s with a 3 s token, denylist ${measured.jwtDenylist ? "on" : "off"}`,
    },
    {
      label: "What revocation does",
      session: "deletes the row: the next request is refused",
      jwt:
        jwtSide.denylist === null
          ? "—"
          : jwtSide.denylist
            ? "denylists the jti: the next request is refused"
            : "ends the refresh family: the access token works until exp",
    },
    {
      label: "Where it lives; can page script read it?",
      session: sessionSide.cookie ? "HttpOnly cookie; no" : "—",
      jwt: jwtSide.token ? "page memory; yes (so keep it short-lived)" : "—",
    },
  ];

  return (
    <div className="space-y-8">
      <section
        aria-label="Comparison"
        data-testid="comparison"
        className="rounded-lg border border-zinc-200 dark:border-zinc-800"
      >
        {/* A table on wide screens; on a phone each row stacks (the label, then
            both values side by side), so nothing needs sideways scrolling. */}
        <div role="table" aria-label="Measured comparison" className="text-left text-sm">
          <div
            role="row"
            className="hidden grid-cols-[1.3fr_1fr_1fr] bg-zinc-100 text-xs uppercase tracking-wide text-zinc-600 sm:grid dark:bg-zinc-900 dark:text-zinc-400"
          >
            <span role="columnheader" className="px-3 py-2 font-medium">
              Measured from this page
            </span>
            <span role="columnheader" className="px-3 py-2 font-medium text-session-700 dark:text-session-300">
              Session
            </span>
            <span role="columnheader" className="px-3 py-2 font-medium text-jwt-700 dark:text-jwt-300">
              JWT
            </span>
          </div>
          {strip.map((row) => (
            <div
              role="row"
              key={row.label}
              className="grid grid-cols-2 border-t border-zinc-200 max-sm:[&:nth-child(2)]:border-t-0 sm:grid-cols-[1.3fr_1fr_1fr] dark:border-zinc-800"
            >
              <span role="rowheader" className="col-span-2 px-3 pt-2 font-medium sm:col-span-1 sm:py-2">
                {row.label}
              </span>
              {(["session", "jwt"] as const).map((side) => (
                <span role="cell" key={side} className="px-3 py-2 font-mono text-xs">
                  <span
                    className={`block font-sans text-[0.7rem] uppercase tracking-wide sm:hidden ${side === "session" ? "text-session-700 dark:text-session-300" : "text-jwt-700 dark:text-jwt-300"}`}
                  >
                    {side === "session" ? "Session" : "JWT"}
                  </span>
                  {row[side]}
                </span>
              ))}
            </div>
          ))}
        </div>
      </section>

      <div className="grid gap-8 lg:grid-cols-2">
        <SessionColumn traced={traced} demo={demo} onChange={onSession} />
        <JwtColumn traced={traced} demo={demo} demoControls={demoControls} onChange={onJwt} />
      </div>

      <OtherService url={resourceServerUrl} token={jwtSide.token} traced={traced} />

      <Scenarios
        traced={traced}
        demoControls={demoControls}
        accessToken={jwtSide.token}
        sessionSignedIn={sessionSide.session !== null}
        onMeasured={onMeasured}
      />

      <RequestLog entries={entries} onClear={clear} />
    </div>
  );
}
