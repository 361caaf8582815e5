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
  authMs: number | null;
  reason: string | null;
  // What the credential added to the request, in bytes.
  credentialBytes: number;
};

export type TracedResponse<T> = { response: Response; body: T | null; entry: LoggedRequest };

const SERVER_TIMING = /auth;desc="[^"]*";dur=([\d.]+)/;
let nextId = 1;

export function parseAuthTiming(header: string | null): number | null {
  const match = header ? SERVER_TIMING.exec(header) : null;
  return match ? Number(match[1]) : null;
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
      const entry: LoggedRequest = {
        id: nextId++,
        at: Date.now(),
        mechanism,
        method: init.method ?? "GET",
        path,
        status: response.status,
        latencyMs,
        authMs: parseAuthTiming(response.headers.get("server-timing")),
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
