import { describe, expect, it } from "vitest";
import type { LabRun, StrategyRun } from "@/lib/showcase/lab-run";
import { LAB_ROWS, revocationCell, roughlyUntil, sizeRow } from "./cells";

const started = Date.parse("2026-12-07T12:00:00Z");

function strategy(overrides: Partial<StrategyRun> = {}): StrategyRun {
  return {
    name: "server-session",
    transport: "cookie",
    state: "server",
    variantOf: null,
    signIn: { credentialBytes: 331, storeWrites: 2, step: 0 },
    storeReads: { reads: 1, serviceCalls: 0, n: 30, step: 1 },
    checkMs: { median: 0.2, p25: 0.15, p75: 0.25, n: 30, step: 1 },
    crossSite: { ridesAlong: true, status: 403, stillAccepted: true, step: 2 },
    storeDown: { status: 503, step: 3 },
    otherService: { status: 401, reason: "no sessions here", step: 4 },
    pageScript: { readable: false, replayStatus: null, pageAgreed: true, step: 5 },
    size: { carriesClaims: false, rungs: [], step: 7 },
    revocation: {
      revoked: true,
      stillValidUntil: null,
      refusedAfterMs: 12,
      acceptedReplays: 0,
      watchedMs: 12,
      step: 6,
    },
    ...overrides,
  };
}

const run = (s: StrategyRun): LabRun => ({
  format: 2,
  startedAt: new Date(started).toISOString(),
  durationMs: 9000,
  database: "sqlite",
  denylist: false,
  cookieCacheTtlMs: 30_000,
  steps: [],
  strategies: [s],
});

describe("lab table cells", () => {
  it("says what each row measured, and links each value to its step", () => {
    const s = strategy();
    const cells = Object.fromEntries(LAB_ROWS.map((row) => [row.id, row.cell(s, run(s))]));
    expect(cells).toEqual({
      storage: { text: "2 writes · 331 B", tone: "info", step: 0 },
      state: { text: "1 read per check", tone: "info", step: 1 },
      scalability: { text: "store down: 503", tone: "info", step: 3 },
      performance: { text: "0.2 ms (0.15–0.25)", tone: "info", step: 1 },
      revocation: { text: "next request", tone: "good", step: 6 },
      csrf: { text: "rides along, refused: 403", tone: "good", step: 2 },
      xss: { text: "hidden from script", tone: "good", step: 5 },
      "other-service": { text: "refused: 401", tone: "info", step: 4 },
    });
  });

  it("a cross-site request that got through, or a readable credential, is bad news", () => {
    const s = strategy({
      crossSite: { ridesAlong: true, status: 200, stillAccepted: false, step: 2 },
      pageScript: { readable: true, replayStatus: 200, pageAgreed: true, step: 5 },
    });
    const cell = (id: string) => LAB_ROWS.find((row) => row.id === id)!.cell(s, run(s));
    expect(cell("csrf")).toMatchObject({ tone: "bad" });
    expect(cell("xss")).toEqual({ text: "read, replayed: 200", tone: "bad", step: 5 });
  });

  it("revocation: refused at once, after a window, or not within the watch (with what the strategy said)", () => {
    const late = strategy({
      revocation: {
        revoked: true,
        stillValidUntil: null,
        refusedAfterMs: 2900,
        acceptedReplays: 11,
        watchedMs: 2900,
        step: 9,
      },
    });
    expect(revocationCell(late, run(late))).toEqual({ text: "after 2.9 s", tone: "info", step: 9 });
    const never = strategy({
      revocation: {
        revoked: false,
        stillValidUntil: new Date(started + 8 * 3600_000).toISOString(),
        refusedAfterMs: null,
        acceptedReplays: 240,
        watchedMs: 60_200,
        step: 9,
      },
    });
    expect(revocationCell(never, run(never))).toEqual({
      text: "not within 60.2 s (valid 8 h more)",
      tone: "bad",
      step: 9,
    });
  });

  it("rounds a remaining time to the unit a reader would use", () => {
    expect(roughlyUntil(new Date(started + 45_000).toISOString(), started)).toBe("45 s");
    expect(roughlyUntil(new Date(started + 5 * 60_000).toISOString(), started)).toBe("5 min");
    expect(roughlyUntil(new Date(started + 30 * 86_400_000).toISOString(), started)).toBe("30 d");
  });

  it("a credential's size: how many bytes of claims came through, and what stopped the next size", () => {
    const rung = (claimsBytes: number, credentialBytes: number | null, status: number, cookie = true) => ({
      claimsBytes,
      credentialBytes,
      cookieBytes: cookie && credentialBytes !== null ? credentialBytes - 1 : null,
      status,
      reason: null,
    });
    const sized = (rungs: ReturnType<typeof rung>[]) => strategy({ size: { carriesClaims: true, rungs, step: 9 } });
    const cell = (s: StrategyRun, limit = 4096) => sizeRow(limit).cell(s, run(s));

    expect(cell(strategy())).toEqual({ text: "none: it names server state", tone: "good", step: 7 });
    // A cookie the server took, but this browser would not keep (one that keeps less than 4096 bytes).
    const cookie = sized([rung(0, 300, 200), rung(2048, 3100, 200), rung(3072, 4400, 200), rung(16_384, null, 0)]);
    expect(cell(cookie).text).toBe("up to 2,048 B; at 3,072 B a browser drops the 4,399 B cookie");
    // The browser on the page keeps longer cookies: the server's answer stops it.
    expect(cell(cookie, 8192).text).toBe("up to 3,072 B; at 16,384 B: no answer");
    // A header: the check's own answer is what stops it.
    const token = sized([rung(0, 600, 200, false), rung(3072, 4800, 401, false), rung(16_384, 22_000, 431, false)]);
    expect(cell(token)).toEqual({ text: "up to 0 B; at 3,072 B: refused by the check", tone: "info", step: 9 });
    // A cookie the server would not set.
    expect(cell(sized([rung(2048, 3300, 200), rung(3072, null, 400)])).text).toBe(
      "up to 2,048 B; at 3,072 B: not issued",
    );
    expect(cell(sized([rung(0, 600, 200, false)])).text).toBe("up to 0 B, all sizes tried");
  });
});
