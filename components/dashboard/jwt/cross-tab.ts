// Tabs of one browser share one refresh cookie, so their refreshes must not
// race: two tabs sending the same refresh token at once look like a stolen
// copy (the server's grace window forgives one such race, not two in a row:
// docs/devices.md). So a tab refreshes only while holding a Web Lock shared
// by every tab of this origin, and hands the new access token to the other
// tabs over a BroadcastChannel; a tab that was waiting for the lock finds a
// fresh token already there and does not refresh again. A tab that opens
// asks the others for their token before refreshing at all.
//
// The keeper below holds one tab's access token and does all of that. It
// knows nothing of React: the dashboard's column (useTokenClient) and the
// hidden tabs of the several-tabs experiment (components/dashboard/tabs/)
// run the same code, the experiment also without coordination to show what
// it prevents.
import { decodeJwt } from "../jwt-decode";

// The names every tab of the origin shares. The several-tabs experiment
// gives its hidden tabs names of their own, so that they could never talk
// to the page's own client, whatever the browser's partitioning.
const NAMES = { lock: "svj-token-refresh", channel: "svj-access-token" };
// How long a tab waits for the other tabs' answer before it refreshes.
const ASK_WAIT_MS = 150;

// A token handed over says how long ago its tab got it, so the receiving tab
// refreshes it when that tab would have, not a whole lifetime later.
type TabMessage = { type: "token"; accessToken: string; ageMs: number } | { type: "ask" };

type TabChannel = { post: (message: TabMessage) => void; close: () => void };

function openTabChannel(name: string, onMessage: (message: TabMessage) => void): TabChannel {
  if (typeof BroadcastChannel === "undefined") return { post: () => undefined, close: () => undefined };
  const channel = new BroadcastChannel(name);
  channel.onmessage = (event: MessageEvent<TabMessage>) => onMessage(event.data);
  return { post: (message) => channel.postMessage(message), close: () => channel.close() };
}

// Without the Web Locks API (a page served over plain http from another
// machine is not a secure context) each tab waits a random moment first, so
// that one refreshes and hands its token over before the others' turn.
const SPREAD_WITHOUT_LOCKS_MS = 1000;

async function oneTabAtATime<T>(lock: string, run: () => Promise<T>): Promise<T> {
  if (typeof navigator !== "undefined" && navigator.locks) return navigator.locks.request(lock, run) as Promise<T>;
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

// What one refresh request came back with: a new access token; a refusal
// (400, 401: signed out); or no usable answer (offline, 429, 5xx), when the
// current token is kept, since it may well still verify.
export type Exchanged =
  { kind: "token"; token: string } | { kind: "refused"; reason: string } | { kind: "no-answer"; status: string };

// The one reading of a refresh endpoint's answer, for every caller. `status`
// null: no answer at all.
export function readRefreshAnswer(
  status: number | null,
  body: { access_token?: unknown; error_description?: unknown } | null,
): Exchanged {
  if (status !== null && status >= 200 && status < 300 && typeof body?.access_token === "string")
    return { kind: "token", token: body.access_token };
  if (status === 400 || status === 401) {
    const reason = typeof body?.error_description === "string" ? body.error_description : "Refresh refused.";
    return { kind: "refused", reason };
  }
  return { kind: "no-answer", status: status === null ? "no answer" : String(status) };
}

// …or, without a request of its own, another tab's newer token.
export type Refreshed = Exchanged | { kind: "from-tab"; token: string };

export type TokenKeeperOptions = {
  // Sends the refresh request (the refresh cookie goes with it).
  exchange: () => Promise<Exchanged>;
  // Every change of the token held: refreshed, signed in, from another tab, dropped.
  onToken: (token: string | null) => void;
  // A Web Lock and a BroadcastChannel with the other tabs (by default the
  // origin-wide names), or none: each tab on its own, which only the
  // several-tabs experiment does, to show what coordination prevents.
  coordinate: false | { names?: { lock: string; channel: string } };
};

export type TokenKeeper = ReturnType<typeof createTokenKeeper>;

export function createTokenKeeper({ exchange, onToken, coordinate }: TokenKeeperOptions) {
  const names = coordinate ? (coordinate.names ?? NAMES) : null;
  let held: { token: string | null; receivedAt: number } = { token: null, receivedAt: 0 };
  let inFlight: Promise<Refreshed> | null = null;
  // After close(), nothing this keeper started may change state or post.
  let closed = false;
  const waiters = new Set<() => void>();

  const hold = (token: string | null, ageMs = 0) => {
    if (closed) return;
    held = { token, receivedAt: Date.now() - ageMs };
    onToken(token);
  };
  // Milliseconds until the token held should be refreshed; null without one.
  const dueInMs = () => (held.token ? refreshDelayMs(held.token, held.receivedAt) : null);
  const holdsFreshToken = () => (dueInMs() ?? 0) > 0;
  const ageOfHeld = () => Date.now() - held.receivedAt;

  const channel = names
    ? openTabChannel(names.channel, (message) => {
        if (message.type === "ask") {
          if (held.token && holdsFreshToken()) share(held.token, ageOfHeld());
        } else if (isNewer(message.accessToken, held.token)) {
          hold(message.accessToken, Math.max(0, message.ageMs));
          for (const waiter of waiters) waiter();
        }
      })
    : null;
  function share(token: string, ageMs = 0) {
    if (!closed) channel?.post({ type: "token", accessToken: token, ageMs });
  }

  // Asks the other tabs for a newer token than this one's; done when one
  // arrives, after ASK_WAIT_MS, or when the keeper closes.
  async function askOtherTabs(): Promise<void> {
    if (!channel || closed) return;
    channel.post({ type: "ask" });
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ASK_WAIT_MS);
      waiters.add(done);
    });
  }

  // One refresh at a time in this page and, coordinated, across tabs: a
  // tab that waited for another's refresh finds that tab's new token
  // already here and sends nothing. `due`: the refresh timer fired (rather
  // than a person asking for a refresh). Then, as a tab that opens does, it
  // first asks the other tabs, because getting the lock does not mean the
  // message with the last holder's token has arrived yet: the two travel
  // separately, and two tabs whose timers fired together would otherwise
  // both refresh, now and then.
  function refresh(due = false): Promise<Refreshed> {
    const before = held.token;
    const run = async (): Promise<Refreshed> => {
      if (due && held.token === before) await askOtherTabs();
      if (held.token && held.token !== before && holdsFreshToken()) return { kind: "from-tab", token: held.token };
      if (closed) return { kind: "no-answer", status: "closed" };
      const sent = held.token;
      const answer = await exchange();
      // A sign-in, another tab's token or a sign-out arrived while the
      // request was out: that is newer than anything the answer says about
      // the cookie it carried, and stays (a page whose first refresh found no
      // cookie must not drop the token a sign-in just gave it).
      if (held.token !== sent) return answer;
      if (answer.kind === "token") {
        hold(answer.token);
        share(answer.token);
      } else if (answer.kind === "refused") hold(null);
      return answer;
    };
    inFlight ??= (names ? oneTabAtATime(names.lock, run) : run()).finally(() => {
      inFlight = null;
    });
    return inFlight;
  }

  return {
    current: () => held.token,
    dueInMs,
    refresh,
    // A token from a sign-in: held, and handed to the other tabs.
    adopt(token: string) {
      hold(token);
      share(token);
    },
    drop: () => hold(null),
    // After a reload the token is gone. Another tab may hold one (asked
    // first); if none answers, the refresh cookie can bring a new one.
    async restore(): Promise<Refreshed | null> {
      await askOtherTabs();
      return held.token || closed ? null : refresh();
    },
    close() {
      closed = true;
      for (const waiter of waiters) waiter();
      channel?.close();
    },
  };
}
