import { describe, expect, test, vi } from "vitest";
import { createTokenKeeper, readRefreshAnswer, refreshDelayMs, type Exchanged } from "./cross-tab";

// Unsigned look-alikes: the keeper only reads iat and exp, for timing.
function token(lifetimeSeconds: number, iat = Math.floor(Date.now() / 1000), id = Math.random()) {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${part({ alg: "EdDSA" })}.${part({ iat, exp: iat + lifetimeSeconds, id })}.sig`;
}

describe("reading a refresh answer", () => {
  test("200 with a token, 400/401 refused, anything else kept", () => {
    expect(readRefreshAnswer(200, { access_token: "a" })).toEqual({ kind: "token", token: "a" });
    expect(readRefreshAnswer(401, { error_description: "revoked" })).toEqual({ kind: "refused", reason: "revoked" });
    expect(readRefreshAnswer(400, null)).toEqual({ kind: "refused", reason: "Refresh refused." });
    expect(readRefreshAnswer(503, null)).toEqual({ kind: "no-answer", status: "503" });
    expect(readRefreshAnswer(429, null)).toEqual({ kind: "no-answer", status: "429" });
    expect(readRefreshAnswer(200, {})).toEqual({ kind: "no-answer", status: "200" });
    expect(readRefreshAnswer(null, null)).toEqual({ kind: "no-answer", status: "no answer" });
  });
});

describe("refresh timing", () => {
  test("a fifth of the lifetime early, between 1 and 30 s, counted from arrival", () => {
    const now = 1_000_000;
    expect(refreshDelayMs(token(300), now, now)).toBe(270_000);
    expect(refreshDelayMs(token(5), now, now)).toBe(4000);
    expect(refreshDelayMs(token(3600), now, now)).toBe(3_570_000);
    // A token issued "in the past" by a wrong clock still gets its whole lifetime.
    expect(refreshDelayMs(token(300, 1), now, now)).toBe(270_000);
    expect(refreshDelayMs("not a token", now, now)).toBeNull();
  });
});

describe("one tab's keeper", () => {
  test("refreshes once however often it is asked at the same time, and keeps its token without an answer", async () => {
    let requests = 0;
    let answer: Exchanged = { kind: "token", token: token(300) };
    const seen: (string | null)[] = [];
    const keeper = createTokenKeeper({
      coordinate: false,
      onToken: (t) => seen.push(t),
      exchange: async () => {
        requests++;
        await new Promise((resolve) => setTimeout(resolve, 20));
        return answer;
      },
    });
    const [a, b, c] = await Promise.all([keeper.refresh(), keeper.refresh(), keeper.refresh()]);
    expect(requests).toBe(1);
    expect(a).toBe(b);
    expect(b).toBe(c);
    const first = keeper.current();
    expect(first).not.toBeNull();

    answer = { kind: "no-answer", status: "503" };
    expect((await keeper.refresh()).kind).toBe("no-answer");
    expect(keeper.current()).toBe(first);

    answer = { kind: "refused", reason: "The refresh token was revoked; sign in again." };
    expect((await keeper.refresh()).kind).toBe("refused");
    expect(keeper.current()).toBeNull();
    expect(seen).toEqual([first, null]);
    keeper.close();
  });

  // Seen as a flaky dashboard test: the page's first refresh (no cookie
  // yet) was answered 401 after a sign-in had given it a token, and dropped it.
  test("a sign-in while a refresh is out wins over that refresh's answer", async () => {
    let answerWith!: (answer: Exchanged) => void;
    const keeper = createTokenKeeper({
      coordinate: false,
      onToken: () => undefined,
      exchange: () => new Promise((resolve) => (answerWith = resolve)),
    });
    const restoring = keeper.restore();
    await new Promise((resolve) => setTimeout(resolve, 0));
    const signedIn = token(300);
    keeper.adopt(signedIn);
    answerWith({ kind: "refused", reason: "No refresh cookie." });
    await restoring;
    expect(keeper.current()).toBe(signedIn);
    keeper.close();
  });

  test("coordinated, a tab that opens gets another tab's fresh token and sends no request", async () => {
    let requests = 0;
    const exchange = async (): Promise<Exchanged> => {
      requests++;
      return { kind: "token", token: token(300) };
    };
    const first = createTokenKeeper({ coordinate: {}, onToken: () => undefined, exchange });
    const signedIn = token(300);
    first.adopt(signedIn);
    const second = createTokenKeeper({ coordinate: {}, onToken: () => undefined, exchange });
    expect(await second.restore()).toBeNull();
    expect(second.current()).toBe(signedIn);
    expect(requests).toBe(0);
    first.close();
    second.close();
  });

  test("two tabs whose timers fire together: one request, and the other tab takes its token", async () => {
    // Web Locks as the browser grants them: one holder at a time, in order.
    let queue = Promise.resolve();
    vi.stubGlobal("navigator", {
      locks: {
        request: (_name: string, run: () => Promise<unknown>) => {
          const turn = queue.then(run);
          queue = turn.then(
            () => undefined,
            () => undefined,
          );
          return turn;
        },
      },
    });
    let requests = 0;
    const exchange = async (): Promise<Exchanged> => {
      requests++;
      await new Promise((resolve) => setTimeout(resolve, 20));
      return { kind: "token", token: token(300) };
    };
    const names = { lock: "test-lock", channel: "test-channel-together" };
    const first = createTokenKeeper({ coordinate: { names }, onToken: () => undefined, exchange });
    const second = createTokenKeeper({ coordinate: { names }, onToken: () => undefined, exchange });
    const old = token(300, Math.floor(Date.now() / 1000) - 10);
    first.adopt(old);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(second.current()).toBe(old);
    const [a, b] = await Promise.all([first.refresh(true), second.refresh(true)]);
    expect(requests).toBe(1);
    expect([a.kind, b.kind]).toEqual(["token", "from-tab"]);
    expect(second.current()).toBe(first.current());
    first.close();
    second.close();
    vi.unstubAllGlobals();
  });

  test("a keeper closed while it asks the other tabs sends nothing and changes nothing", async () => {
    let requests = 0;
    const seen: (string | null)[] = [];
    const keeper = createTokenKeeper({
      coordinate: { names: { lock: "test-lock-closed", channel: "test-channel-closed" } },
      onToken: (t) => seen.push(t),
      exchange: async () => {
        requests++;
        return { kind: "token", token: token(300) };
      },
    });
    const restoring = keeper.restore();
    keeper.close();
    expect(await restoring).toBeNull();
    expect(requests).toBe(0);
    expect(seen).toEqual([]);
  });
});
