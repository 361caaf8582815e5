import { describe, expect, it } from "vitest";
import { decideRate } from "@/lib/auth/rate-limit";

const policy = { burst: 3, intervalMs: 10_000 };

// Replays uses at the given times (ms), as the database would keep them.
function replay(times: number[]): ("ok" | number)[] {
  let fullAt: number | null = null;
  return times.map((now) => {
    const decision = decideRate(fullAt, now, policy);
    if (!decision.allowed) return decision.waitMs;
    fullAt = decision.fullAt;
    return "ok";
  });
}

describe("a rate that refills (GCRA)", () => {
  it("allows the burst at once, then one use per interval", () => {
    expect(replay([0, 0, 0, 0])).toEqual(["ok", "ok", "ok", 10_000]);
    expect(replay([0, 0, 0, 10_000, 10_000, 20_000])).toEqual(["ok", "ok", "ok", "ok", 10_000, "ok"]);
  });

  it("a refused use changes nothing: trying again and again does not lengthen the wait", () => {
    expect(replay([0, 0, 0, 1000, 2000, 5000, 9999, 10_000])).toEqual(["ok", "ok", "ok", 9000, 8000, 5000, 1, "ok"]);
  });

  it("refills to the burst and no further after a quiet spell", () => {
    expect(replay([0, 0, 0, 1_000_000, 1_000_000, 1_000_000, 1_000_000])).toEqual([
      "ok",
      "ok",
      "ok",
      "ok",
      "ok",
      "ok",
      10_000,
    ]);
  });
});
