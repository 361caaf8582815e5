"use client";
// The dashboard's session client: what the server says of this browser's
// session (the record, the cookie as sent, how many sessions the account
// has), read once the page is interactive and then every 10 s, and the
// column's actions. The view only renders what this returns.
import { useCallback, useEffect, useRef, useState } from "react";
import { useRouter } from "next/navigation";
import type { SessionView, SignedInView } from "@/lib/auth/session";
import type { Json } from "@/lib/json";
import type { SessionCookieInspection } from "@/lib/showcase/session-cookie-inspector";
import type { Traced } from "../requests";
import { useBusy } from "../useBusy";

export type SessionState = Json<SignedInView>;
// GET /api/session/inspect: the cookie's anatomy, never the cookie itself.
export type CookieInspection = Json<SessionCookieInspection>;

const POLL_MS = 10_000;

export function useSessionClient(traced: Traced) {
  const [state, setState] = useState<SessionState | null>(null);
  const [cookie, setCookie] = useState<CookieInspection | null>(null);
  const [rows, setRows] = useState<number | null>(null);
  const [scriptSees, setScriptSees] = useState("");
  const { busy, busyWhile } = useBusy();
  const [loaded, setLoaded] = useState(false);
  const router = useRouter();
  // Who the last read found signed in ("" for nobody): when that changes
  // (signed in or out here, as someone else, or ended elsewhere), the
  // server-rendered header is rendered again, so it never names the wrong
  // person or says "Sign in" to someone signed in.
  const signedInAs = useRef<string | null>(null);

  // One round of reads: the record, the cookie as sent, my session count.
  const load = useCallback(async () => {
    const record = await traced<SessionState>("session", "/api/session");
    const now = record.response.ok ? (record.body?.user.email ?? "") : "";
    if (signedInAs.current !== null && signedInAs.current !== now) router.refresh();
    signedInAs.current = now;
    if (!record.response.ok) {
      setState(null);
      setCookie(null);
      setRows(null);
    } else {
      setState(record.body);
      const [inspect, list] = await Promise.all([
        traced<CookieInspection>("session", "/api/session/inspect"),
        traced<{ sessions: SessionView[] }>("session", "/api/sessions"),
      ]);
      setCookie(inspect.response.ok ? inspect.body : null);
      setRows(list.response.ok ? (list.body?.sessions.length ?? null) : null);
    }
    setScriptSees(document.cookie);
    setLoaded(true);
  }, [traced, router]);

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

  // Every action is followed by reading everything again.
  const thenReload = (run: () => Promise<unknown>) =>
    busyWhile(async () => {
      await run();
      await load();
    });

  async function signIn(email: string, password: string): Promise<string | null> {
    const result = await traced<{ error_description?: string }>("none", "/api/session", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email, password }),
    });
    await load();
    return result.response.ok ? null : (result.body?.error_description ?? `HTTP ${result.response.status}`);
  }

  return {
    state,
    cookie,
    rows,
    scriptSees,
    busy,
    loaded,
    signIn,
    check: () => thenReload(async () => undefined),
    signOut: () => thenReload(() => traced("session", "/api/session", { method: "DELETE" })),
    signOutEverywhere: () => thenReload(() => traced("session", "/api/devices", { method: "DELETE" })),
  };
}
