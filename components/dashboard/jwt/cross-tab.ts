// Tabs of one browser share one refresh cookie, so their refreshes must not
// race: two tabs sending the same refresh token at once look like a stolen
// copy (the server's grace window forgives it, but each race is a request
// too many). So a tab refreshes only while holding a Web Lock shared by
// every tab of this origin, and hands the new access token to the other
// tabs over a BroadcastChannel; a tab that was waiting for the lock finds a
// fresh token already there and does not refresh again. A tab that opens
// asks the others for their token before refreshing at all.
import { decodeJwt } from "../jwt-decode";

const LOCK = "svj-token-refresh";
const CHANNEL = "svj-access-token";

export type TabMessage = { type: "token"; accessToken: string } | { type: "ask" };

export type TabChannel = { post: (message: TabMessage) => void; close: () => void };

export function openTabChannel(onMessage: (message: TabMessage) => void): TabChannel {
  if (typeof BroadcastChannel === "undefined") return { post: () => undefined, close: () => undefined };
  const channel = new BroadcastChannel(CHANNEL);
  channel.onmessage = (event: MessageEvent<TabMessage>) => onMessage(event.data);
  return { post: (message) => channel.postMessage(message), close: () => channel.close() };
}

// Without the Web Locks API (a page served over plain http from another
// machine is not a secure context) each tab waits a random moment first, so
// that one refreshes and hands its token over before the others' turn:
// tabs refreshing together in two expiries in a row would be taken for a
// thief and signed out (docs/devices.md).
const SPREAD_WITHOUT_LOCKS_MS = 1000;

export async function oneTabAtATime<T>(run: () => Promise<T>): Promise<T> {
  if (typeof navigator !== "undefined" && navigator.locks) return navigator.locks.request(LOCK, run) as Promise<T>;
  await new Promise((resolve) => setTimeout(resolve, Math.random() * SPREAD_WITHOUT_LOCKS_MS));
  return run();
}

function times(token: string): { iat: number; exp: number } | null {
  const payload = decodeJwt(token)?.payload;
  return typeof payload?.exp === "number" && typeof payload.iat === "number"
    ? { iat: payload.iat, exp: payload.exp }
    : null;
}

// A fifth of the token's lifetime before it expires, between 1 and 30 s: a
// 5-minute token is refreshed 30 s early, a 5-second one 1 s early. Counted
// from when this page got the token, by this page's clock: a clock that is
// wrong by minutes must not make every token look expired (and refresh in a
// loop) or never expiring.
export function refreshDelayMs(token: string, receivedAt: number, now = Date.now()): number | null {
  const t = times(token);
  if (!t) return null;
  const lifetime = (t.exp - t.iat) * 1000;
  const margin = Math.min(30_000, Math.max(1000, lifetime / 5));
  return Math.max(0, receivedAt + lifetime - margin - now);
}

// Whether `candidate` outlives `current` (a token another tab just got).
export function isNewer(candidate: string, current: string | null): boolean {
  if (!current) return true;
  return (times(candidate)?.exp ?? 0) > (times(current)?.exp ?? 0);
}
