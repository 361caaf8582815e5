import { describe, expect, it } from "vitest";
import { activeFailures, delayAfter, retryAfterMs } from "@/lib/auth/throttle";
import type { ThrottlePolicy } from "@/lib/config";

const policy: ThrottlePolicy = { freeFailures: 3, baseDelayMs: 1000, maxDelayMs: 60_000, forgetAfterMs: 3_600_000 };
const t0 = new Date("2026-01-01T00:00:00Z");
const at = (ms: number) => new Date(t0.getTime() + ms);

describe("back-off", () => {
  it("is free up to the allowance, then doubles from the base delay", () => {
    expect([0, 1, 2, 3].map((n) => delayAfter(n, policy))).toEqual([0, 0, 0, 0]);
    expect([4, 5, 6, 7, 8].map((n) => delayAfter(n, policy))).toEqual([1000, 2000, 4000, 8000, 16000]);
  });

  it("stops growing at the maximum, even for absurd counts", () => {
    expect(delayAfter(10, policy)).toBe(60_000);
    expect(delayAfter(1_000_000, policy)).toBe(60_000);
  });

  it("counts from the last failure, with an injected clock", () => {
    const bucket = { failures: 5, lastFailureAt: t0 }; // 2 s delay
    expect(retryAfterMs(bucket, policy, at(0))).toBe(2000);
    expect(retryAfterMs(bucket, policy, at(1500))).toBe(500);
    expect(retryAfterMs(bucket, policy, at(2000))).toBe(0);
    expect(retryAfterMs(null, policy, at(0))).toBe(0);
  });

  it("never makes a client wait under the free limit, even if the last failure is stamped ahead of this clock", () => {
    const aheadOfUs = { failures: 3, lastFailureAt: at(5000) };
    expect(retryAfterMs(aheadOfUs, policy, at(0))).toBe(0);
    expect(retryAfterMs({ ...aheadOfUs, failures: 4 }, policy, at(0))).toBe(6000);
  });

  it("forgets failures after the quiet period", () => {
    const bucket = { failures: 9, lastFailureAt: t0 };
    expect(activeFailures(bucket, policy, at(3_600_000))).toBe(9);
    expect(activeFailures(bucket, policy, at(3_600_001))).toBe(0);
    expect(retryAfterMs(bucket, policy, at(3_600_001))).toBe(0);
  });
});
