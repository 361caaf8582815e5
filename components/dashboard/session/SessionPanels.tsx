"use client";
// What the session column shows: the cookie as the browser sends it (taken
// apart, never whole) and the record the server stores for it.
import { Card } from "@/components/Card";
import { Facts } from "@/components/Facts";
import { Clock } from "@/components/Time";
import { Countdown } from "../time";

import type { CookieInspection, SessionState } from "./useSessionClient";

export function CookiePanel({ cookie, scriptSees }: { cookie: CookieInspection | null; scriptSees: string }) {
  return (
    <Card variant="panel" title="The cookie, as the browser sends it" testId="session-cookie">
      {cookie ? (
        <>
          <Facts
            rows={[
              ["Name", <code key="n">{cookie.name}</code>],
              [
                "Attributes",
                <code key="a">
                  HttpOnly; SameSite={cookie.attributes.sameSite === "lax" ? "Lax" : cookie.attributes.sameSite}; Path=
                  {cookie.attributes.path}
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
            <p className="mt-2 text-xs text-zinc-500 dark:text-zinc-400">
              The random fields are shown as their first characters and length only: the whole value is the credential,
              and HttpOnly keeps it from page script, this page included.
            </p>
            {cookie.seal.ok ? (
              <ol className="mt-2 space-y-2">
                {cookie.seal.value.fields.map((field) => (
                  <li key={field.name}>
                    <span className="font-medium">{field.name}</span>:{" "}
                    <code className="break-all text-xs text-session-700 dark:text-session-300">
                      {field.shown || "(empty)"}
                    </code>{" "}
                    <span className="text-xs text-zinc-500 dark:text-zinc-400">
                      ({field.length} {field.length === 1 ? "char" : "chars"})
                    </span>
                    <p className="text-xs text-zinc-500 dark:text-zinc-400">{field.purpose}</p>
                  </li>
                ))}
              </ol>
            ) : (
              <p className="mt-2 text-zinc-500 dark:text-zinc-400">{cookie.seal.error.description}</p>
            )}
          </details>
          <Facts
            rows={[
              [
                "Server unsealed",
                cookie.unsealed ? (
                  <span key="u">
                    <code>{"{ token: … }"}</code> ({cookie.unsealed.tokenLength} chars, 256 bits; stored as SHA-256{" "}
                    <code>{cookie.unsealed.tokenHashPrefix}…</code>)
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
        <p className="text-sm text-zinc-500 dark:text-zinc-400">Reading the cookie…</p>
      )}
    </Card>
  );
}

export function RecordPanel({ state, rows, now }: { state: SessionState; rows: number | null; now: number }) {
  return (
    <Card variant="panel" title="The record the server stores" testId="session-record">
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
      <p className="text-xs text-zinc-500 dark:text-zinc-400">
        Last seen is written at most every {state.policy.renewIntervalSeconds} s, so most checks are one read and no
        write.
      </p>
    </Card>
  );
}
