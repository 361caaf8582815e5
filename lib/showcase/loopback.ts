// The showcase's experiments make real HTTP requests to this server, from
// the server itself acting as a second client (a thief, a foreign site,
// another device): how they send them, and how they watch a credential
// until it is refused.
import "server-only";
import { config } from "@/lib/config";
import { formatElapsed } from "@/lib/duration";

export const SECOND_CLIENT = "session-vs-jwt scenario (a second client)";
const POLL_MS = 250;

// Requests go to this process on loopback, never to the Host header's name.
export function selfUrl(path: string): string {
  return `http://127.0.0.1:${config().port}${path}`;
}

export type Reply = {
  status: number;
  reason: string | null;
  body: Record<string, unknown> | null;
  headers: Headers;
};
type Init = RequestInit & { headers?: Record<string, string> };

export async function request(url: string, init: Init = {}): Promise<Reply> {
  const response = await fetch(url, {
    ...init,
    headers: { "user-agent": SECOND_CLIENT, ...init.headers },
    redirect: "manual",
  });
  const text = await response.text();
  let body: Record<string, unknown> | null = null;
  try {
    const parsed: unknown = JSON.parse(text);
    body = parsed && typeof parsed === "object" ? (parsed as Record<string, unknown>) : null;
  } catch {
    body = null;
  }
  const reason = typeof body?.error_description === "string" ? body.error_description : null;
  return { status: response.status, reason, body, headers: response.headers };
}

export const call = (path: string, init?: Init) => request(selfUrl(path), init);

// A service that did not answer at all: status 0.
export const noAnswer = (reason: string): Reply => ({ status: 0, reason, body: null, headers: new Headers() });

export type Waited = { result: Reply; elapsed: number; accepted: number };

// What an experiment reports as it goes, for the page to show while it runs.
export type Progress = (step: string) => void;

// Polls until the request is refused, or `maxWaitMs` has passed; the
// elapsed time is the measurement, and how many replays got in meanwhile
// the defender's count. Each replay is reported as "<what>: replay 3 → 200
// at 0.8 s".
export async function timeUntilRefused(
  send: () => Promise<Reply>,
  since: number,
  report: { what: string; progress: Progress; maxWaitMs: number },
): Promise<Waited> {
  for (let accepted = 0, attempt = 1; ; attempt++) {
    const result = await send();
    const elapsed = Date.now() - since;
    report.progress(`${report.what}: replay ${attempt} → ${result.status || "no answer"} at ${formatElapsed(elapsed)}`);
    if (result.status === 401 || result.status === 0 || elapsed > report.maxWaitMs) {
      return { result, elapsed, accepted };
    }
    if (result.status === 200) accepted++;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
