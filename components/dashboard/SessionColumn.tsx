"use client";
import { useCallback, useEffect, useState } from "react";
import type { SessionView } from "@/lib/auth/session";
import type { Json } from "@/lib/json";
import type { SessionCookieInspection } from "@/lib/showcase/session-cookie-inspector";
import type { Traced } from "./requests";
import { SignInForm } from "./SignInForm";
import { ActionButton, Panel } from "./ui";
import { Facts } from "@/components/Facts";
import { Clock, Countdown, useNow } from "./time";

export type SessionState = {
  user: { id: string; email: string };
  session: SessionView;
  policy: { idleTimeoutSeconds: number; absoluteTimeoutSeconds: number; renewIntervalSeconds: number };
};

// GET /api/session/inspect: the cookie's anatomy, never the cookie itself.
export type CookieInspection = Json<SessionCookieInspection>;

type Props = {
  traced: Traced;
  demo: { email: string; password: string } | null;
  onChange: (state: { session: SessionState | null; cookie: CookieInspection | null; rows: number | null }) => void;
};

const POLL_MS = 10_000;

export function SessionColumn({ traced, demo, onChange }: Props) {
  const now = useNow();
  const [state, setState] = useState<SessionState | null>(null);
  const [cookie, setCookie] = useState<CookieInspection | null>(null);
  const [rows, setRows] = useState<number | null>(null);
  const [scriptSees, setScriptSees] = useState("");
  const [busy, setBusy] = useState(false);
  const [loaded, setLoaded] = useState(false);

  // One round of reads: the record, the cookie as sent, my session count.
  const load = useCallback(async () => {
    const record = await traced<SessionState>("session", "/api/session");
    if (!record.response.ok) {
      setState(null);
      setCookie(null);
      setRows(null);
    } else {
      setState(record.body);
      const [inspect, list] = await Promise.all([
        traced<CookieInspection>("session", "/api/session/inspect"),
        traced<{ sessions: unknown[] }>("session", "/api/sessions"),
      ]);
      setCookie(inspect.response.ok ? inspect.body : null);
      setRows(list.response.ok ? (list.body?.sessions.length ?? null) : null);
    }
    setScriptSees(document.cookie);
    setLoaded(true);
  }, [traced]);

  useEffect(() => {
    // The first read runs once the page is interactive; afterwards a slow poll
    // keeps countdowns honest without hammering the server.
    const first = setTimeout(load, 0);
    const timer = setInterval(load, POLL_MS);
    return () => {
      clearTimeout(first);
      clearInterval(timer);
    };
  }, [load]);

  useEffect(() => onChange({ session: state, cookie, rows }), [state, cookie, rows, onChange]);

  async function act(run: () => Promise<unknown>) {
    setBusy(true);
    await run();
    await load();
    setBusy(false);
  }

  async function signIn(email: string, password: string): Promise<string | null> {
    const result = await traced<{ error_description?: string }>("none", "/api/session", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email, password }),
    });
    await load();
    return result.response.ok ? null : (result.body?.error_description ?? `HTTP ${result.response.status}`);
  }

  return (
    <div data-testid="session-column" className="space-y-4">
      <header className="space-y-1">
        <h2 className="text-xl font-semibold text-session-700 dark:text-session-300">Session</h2>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          A random id, sealed in an HttpOnly cookie; the server keeps the record.
        </p>
      </header>

      {!loaded ? (
        <p className="text-sm text-zinc-500">Reading the session…</p>
      ) : !state ? (
        <Panel title="Sign in with a session">
          <SignInForm label="Sign in with a session" testId="session-signin" demo={demo} onSubmit={signIn} />
          <p className="text-sm text-zinc-500">No session cookie is accepted by the server for this browser.</p>
        </Panel>
      ) : (
        <>
          <Panel title="The cookie, as the browser sends it" testId="session-cookie">
            {cookie ? (
              <>
                <Facts
                  rows={[
                    ["Name", <code key="n">{cookie.name}</code>],
                    [
                      "Attributes",
                      <code key="a">
                        HttpOnly; SameSite={cookie.attributes.sameSite === "lax" ? "Lax" : cookie.attributes.sameSite};
                        Path={cookie.attributes.path}
                        {cookie.attributes.secure ? "; Secure" : ""}; Max-Age={cookie.attributes.maxAgeSeconds}
                      </code>,
                    ],
                    [
                      "Size",
                      <span key="s" data-testid="session-cookie-bytes">
                        {cookie.headerBytes} bytes on every request
                      </span>,
                    ],
                  ]}
                />
                <details className="text-sm">
                  <summary className="cursor-pointer font-medium">Sealed value, taken apart</summary>
                  <p className="mt-2 text-xs text-zinc-500">
                    The random fields are shown as their first characters and length only: the whole value is the
                    credential, and HttpOnly keeps it from page script, this page included.
                  </p>
                  {cookie.seal.ok ? (
                    <ol className="mt-2 space-y-2">
                      {cookie.seal.value.fields.map((field) => (
                        <li key={field.name}>
                          <span className="font-medium">{field.name}</span>:{" "}
                          <code className="break-all text-xs text-session-700 dark:text-session-300">
                            {field.shown || "(empty)"}
                          </code>{" "}
                          <span className="text-xs text-zinc-500">
                            ({field.length} {field.length === 1 ? "char" : "chars"})
                          </span>
                          <p className="text-xs text-zinc-500">{field.purpose}</p>
                        </li>
                      ))}
                    </ol>
                  ) : (
                    <p className="mt-2 text-zinc-500">{cookie.seal.error.description}</p>
                  )}
                </details>
                <Facts
                  rows={[
                    [
                      "Server unsealed",
                      cookie.unsealed ? (
                        <span key="u">
                          <code>{"{ token: … }"}</code> ({cookie.unsealed.tokenLength} chars, 256 bits; stored as
                          SHA-256 <code>{cookie.unsealed.tokenHashPrefix}…</code>)
                        </span>
                      ) : (
                        "nothing"
                      ),
                    ],
                    [
                      "Page script sees",
                      <code key="d" data-testid="session-document-cookie">
                        document.cookie = {JSON.stringify(scriptSees)}
                        {scriptSees.includes(cookie.name) ? "" : " — no session cookie"}
                      </code>,
                    ],
                  ]}
                />
              </>
            ) : (
              <p className="text-sm text-zinc-500">Reading the cookie…</p>
            )}
          </Panel>

          <Panel title="The record the server stores" testId="session-record">
            <Facts
              rows={[
                [
                  "User",
                  <span key="u" data-testid="session-user">
                    {state.user.email}
                  </span>,
                ],
                [
                  "Hash prefix",
                  <code key="h" data-testid="session-hash">
                    {state.session.tokenHashPrefix}…
                  </code>,
                ],
                ["Created", <Clock key="c" value={state.session.createdAt} />],
                ["Last seen", <Clock key="l" value={state.session.lastSeenAt} />],
                [
                  "Idle expiry",
                  <span key="i">
                    <Clock value={state.session.idleExpiresAt} /> (
                    <Countdown until={state.session.idleExpiresAt} now={now} testId="session-idle-countdown" />)
                  </span>,
                ],
                [
                  "Absolute expiry",
                  <span key="a">
                    <Clock value={state.session.absoluteExpiresAt} /> (
                    <Countdown until={state.session.absoluteExpiresAt} now={now} />)
                  </span>,
                ],
                ["Address", state.session.ip ?? "unknown"],
                [
                  "User agent",
                  <span key="ua" className="text-xs">
                    {state.session.userAgent}
                  </span>,
                ],
                [
                  "Rows for this user",
                  <span key="r" data-testid="session-rows">
                    {rows ?? "…"}
                  </span>,
                ],
              ]}
            />
            <p className="text-xs text-zinc-500">
              Last seen is written at most every {state.policy.renewIntervalSeconds} s, so most checks are one read and
              no write.
            </p>
          </Panel>

          <div className="flex flex-wrap gap-2">
            <a
              href="/account"
              className="rounded-md border border-zinc-300 px-3 py-1.5 text-sm font-medium hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800"
            >
              Open a protected page
            </a>
            <ActionButton busy={busy} testId="session-check" onClick={() => act(async () => undefined)}>
              Check now
            </ActionButton>
            <ActionButton
              busy={busy}
              testId="session-signout"
              onClick={() => act(() => traced("session", "/api/session", { method: "DELETE" }))}
            >
              Sign out
            </ActionButton>
            <ActionButton
              busy={busy}
              tone="danger"
              testId="session-signout-everywhere"
              onClick={() => act(() => traced("session", "/api/sessions", { method: "DELETE" }))}
            >
              Sign out everywhere
            </ActionButton>
          </div>
        </>
      )}
    </div>
  );
}
