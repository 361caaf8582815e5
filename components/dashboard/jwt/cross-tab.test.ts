import { describe, expect, test } from "vitest";
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

  test("coordinated, a tab that opens gets another tab's fresh token and sends no request", async () => {
    let requests = 0;
    const exchange = async (): Promise<Exchanged> => {
      requests++;
      return { kind: "token", token: token(300) };
    };
    const first = createTokenKeeper({ coordinate: true, onToken: () => undefined, exchange });
    const signedIn = token(300);
    first.adopt(signedIn);
    const second = createTokenKeeper({ coordinate: true, onToken: () => undefined, exchange });
    expect(await second.restore()).toBeNull();
    expect(second.current()).toBe(signedIn);
    expect(requests).toBe(0);
    first.close();
    second.close();
  });

  test("uncoordinated, a tab that opens refreshes with the cookie even while another holds a token", async () => {
    let requests = 0;
    const exchange = async (): Promise<Exchanged> => {
      requests++;
      return { kind: "token", token: token(300) };
    };
    const first = createTokenKeeper({ coordinate: false, onToken: () => undefined, exchange });
    first.adopt(token(300));
    const second = createTokenKeeper({ coordinate: false, onToken: () => undefined, exchange });
    expect((await second.restore())?.kind).toBe("token");
    expect(requests).toBe(1);
  });
});
