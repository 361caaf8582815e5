"use client";
// Every request the dashboard makes goes through `traced`, which measures it
// and records it in the request log: status, round-trip time, the server's
// own auth-check time (Server-Timing) and the reason for a rejection.
import { useCallback, useState } from "react";
import { STEPS_MEDIA_TYPE } from "@/lib/showcase/scenario-catalog";
import { parseAuthTiming } from "@/lib/server-timing";

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

let nextId = 1;

// A newline-delimited JSON answer as it arrives (a scenario's steps): each
// line goes to `onLine` as soon as it is whole; the last is the body.
export async function readLines(response: Response, onLine: (line: unknown) => void): Promise<string> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = "";
  let last = "";
  for (;;) {
    const { done, value } = await reader.read();
    buffered += value ?? "";
    const lines = buffered.split("\n");
    buffered = done ? "" : lines.pop()!;
    for (const line of lines.filter(Boolean)) {
      onLine(JSON.parse(line));
      last = line;
    }
    if (done) return last;
  }
}

export function useRequestLog() {
  const [entries, setEntries] = useState<LoggedRequest[]>([]);

  const traced = useCallback(
    async <T>(
      mechanism: Mechanism,
      path: string,
      init: RequestInit & { credentialBytes?: number; onLine?: (line: unknown) => void } = {},
    ): Promise<TracedResponse<T>> => {
      const { onLine, ...request } = init;
      const started = performance.now();
      const response = await fetch(path, { ...request, cache: "no-store" });
      const latencyMs = performance.now() - started;
      const isStream = onLine !== undefined && response.headers.get("content-type")?.startsWith(STEPS_MEDIA_TYPE);
      const text = isStream ? await readLines(response, onLine) : await response.text();
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
