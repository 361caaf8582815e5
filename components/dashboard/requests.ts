"use client";
// Every request the dashboard makes goes through `traced`, which measures it
// and records it in the request log: status, round-trip time, the server's
// own auth-check time (Server-Timing) and the reason for a rejection.
import { useCallback, useState } from "react";

export type Mechanism = "session" | "jwt" | "none";

export type LoggedRequest = {
  id: number;
  at: number;
  mechanism: Mechanism;
  method: string;
  path: string;
  status: number;
  latencyMs: number;
  // The server's credential check (Server-Timing `auth`), and whether it had
  // seen the credential before (lib/http.ts).
  authMs: number | null;
  authKind: string | null;
  reason: string | null;
  // What the credential added to the request, in bytes.
  credentialBytes: number;
};

export type TracedResponse<T> = { response: Response; body: T | null; entry: LoggedRequest };

const SERVER_TIMING = /auth;desc="(?:[^",]*)(?:, ([^"]*))?";dur=([\d.]+)/;
let nextId = 1;

export function parseAuthTiming(header: string | null): { ms: number; kind: string | null } | null {
  const match = header ? SERVER_TIMING.exec(header) : null;
  return match ? { ms: Number(match[2]), kind: match[1] ?? null } : null;
}

export function useRequestLog() {
  const [entries, setEntries] = useState<LoggedRequest[]>([]);

  const traced = useCallback(
    async <T>(
      mechanism: Mechanism,
      path: string,
      init: RequestInit & { credentialBytes?: number } = {},
    ): Promise<TracedResponse<T>> => {
      const started = performance.now();
      const response = await fetch(path, { ...init, cache: "no-store" });
      const latencyMs = performance.now() - started;
      const text = await response.text();
      let body: T | null = null;
      try {
        body = text ? (JSON.parse(text) as T) : null;
      } catch {
        body = null;
      }
      const description = (body as { error_description?: unknown } | null)?.error_description;
      const timing = parseAuthTiming(response.headers.get("server-timing"));
      const entry: LoggedRequest = {
        id: nextId++,
        at: Date.now(),
        mechanism,
        method: init.method ?? "GET",
        path,
        status: response.status,
        latencyMs,
        authMs: timing?.ms ?? null,
        authKind: timing?.kind ?? null,
        reason: response.ok ? null : typeof description === "string" ? description : response.statusText,
        credentialBytes: init.credentialBytes ?? 0,
      };
      setEntries((current) => [entry, ...current].slice(0, 200));
      return { response, body, entry };
    },
    [],
  );

  const clear = useCallback(() => setEntries([]), []);
  return { entries, traced, clear };
}

export type Traced = ReturnType<typeof useRequestLog>["traced"];
