"use client";
import Link from "next/link";
import { useCallback, useMemo, useState } from "react";
import { useRequestLog, type LoggedRequest } from "./requests";
import { SessionColumn } from "./SessionColumn";
import type { CookieInspection, SessionState } from "./session/useSessionClient";
import { JwtColumn } from "./JwtColumn";
import { OtherService } from "./OtherService";
import { TokenWorkbench } from "./workbench/TokenWorkbench";
import { RequestLog } from "./RequestLog";
import { Scenarios } from "./Scenarios";
import { Sandbox, type SignInAs, type SignInResults } from "./Sandbox";
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

// A number from one or two samples says more about the machine's mood than
// about the mechanism (a garbage collection, another tab's work): none is
// shown before this many.
const MIN_SAMPLES = 5;

// Server time per check from the Server-Timing of this page's own accepted
// requests, first sight and seen before apart: the median and the middle
// half (25th to 75th percentile).
function checkTime(
  entries: LoggedRequest[],
  mechanism: "session" | "jwt",
  kind: "first sight" | "seen before",
): string {
  const samples = entries
    .filter((e) => e.mechanism === mechanism && e.status < 400 && e.authMs !== null && e.authKind === kind)
    .map((e) => e.authMs!)
    .sort((a, b) => a - b);
  const n = samples.length;
  if (n === 0) return "—";
  if (n < MIN_SAMPLES) return `${n} of ${MIN_SAMPLES} samples so far`;
  const at = (q: number) => samples[Math.min(n - 1, Math.floor(q * n))]!;
  return `${at(0.5).toFixed(2)} ms (middle half ${at(0.25).toFixed(2)}–${at(0.75).toFixed(2)}, n=${n})`;
}

export function Dashboard({ demo, demoControls, resourceServerUrl }: Props) {
  const { entries, traced, clear } = useRequestLog();
  const [sessionSide, setSessionSide] = useState<SessionSide>({ session: null, cookie: null, rows: null });
  const [jwtSide, setJwtSide] = useState<JwtSide>({ token: null, rows: null, denylist: null });
  const onSession = useCallback((s: SessionSide) => setSessionSide(s), []);
  const onJwt = useCallback((s: JwtSide) => setJwtSide(s), []);
  const [measured, setMeasured] = useState<Measured>({});
  const onMeasured = useCallback((m: Measured) => setMeasured((current) => ({ ...current, ...m })), []);
  const [signInAs, setSignInAs] = useState<SignInAs | null>(null);
  const [signIns, setSignIns] = useState<SignInResults>({ session: null, jwt: null });
  const onSandbox = useCallback((account: SignInAs) => {
    setSignIns({ session: null, jwt: null });
    setSignInAs(account);
  }, []);
  const onSessionSignIn = useCallback((result: string) => setSignIns((r) => ({ ...r, session: result })), []);
  const onJwtSignIn = useCallback((result: string) => setSignIns((r) => ({ ...r, jwt: result })), []);

  const costs = useMemo(
    () => ({
      session: {
        repeat: checkTime(entries, "session", "seen before"),
        first: checkTime(entries, "session", "first sight"),
      },
      jwt: { repeat: checkTime(entries, "jwt", "seen before"), first: checkTime(entries, "jwt", "first sight") },
    }),
    [entries],
  );
  const jwtBytes = jwtSide.token ? new TextEncoder().encode(`Authorization: Bearer ${jwtSide.token}`).length : null;

  const strip: { label: string; session: string; jwt: string }[] = [
    {
      label: "Bytes added to each request",
      session: sessionSide.cookie ? `${sessionSide.cookie.headerBytes} B (Cookie)` : "—",
      jwt: jwtBytes ? `${jwtBytes} B (Authorization)` : "—",
    },
    {
      label: "Server time per check, credential seen before (median, Server-Timing)",
      session: costs.session.repeat,
      jwt: costs.jwt.repeat,
    },
    {
      label: "… and at first sight (signature verified, seal opened)",
      session: costs.session.first,
      jwt: costs.jwt.first,
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
        <p
          data-testid="comparison-note"
          className="border-t border-zinc-200 px-3 py-2 text-xs text-zinc-600 dark:border-zinc-800 dark:text-zinc-400"
        >
          Live numbers from this page&apos;s own requests, on a machine doing other work meanwhile, shown once there are{" "}
          {MIN_SAMPLES} of each kind. The controlled measurement (each check thousands of times, nothing else running)
          is on{" "}
          <Link href="/performance" className="font-medium text-sky-700 underline underline-offset-4 dark:text-sky-400">
            Performance
          </Link>
          .
        </p>
      </section>

      <Sandbox traced={traced} onCreated={onSandbox} results={signIns} />

      <div className="grid gap-8 lg:grid-cols-2">
        <SessionColumn
          traced={traced}
          demo={demo}
          signInAs={signInAs}
          onSignInAs={onSessionSignIn}
          onChange={onSession}
        />
        <JwtColumn
          traced={traced}
          demo={demo}
          signInAs={signInAs}
          onSignInAs={onJwtSignIn}
          demoControls={demoControls}
          onChange={onJwt}
        />
      </div>

      <OtherService url={resourceServerUrl} token={jwtSide.token} traced={traced} />
      <TokenWorkbench token={jwtSide.token} traced={traced} resourceUrl={resourceServerUrl} />

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
