import { describe, expect, it } from "vitest";
import { at, TICKS } from "./RevocationTimeline";

describe("the revocation timeline's axis", () => {
  it("places each tick's label where at() puts its time", () => {
    for (const [seconds, label, position] of TICKS) {
      if (position === "right-0") {
        expect(at(seconds), label).toBeCloseTo(100, 5);
        continue;
      }
      const percent = Number(/^left-\[([\d.]+)%\]$/.exec(position)?.[1]);
      expect(percent, label).toBeCloseTo(at(seconds), 2);
    }
  });

  it("is logarithmic, from a tenth of a second to 30 days, and clamps outside it", () => {
    expect(at(0.1)).toBe(0);
    expect(at(0.001)).toBe(0);
    expect(at(365 * 86_400)).toBe(100);
    expect(at(10) - at(1)).toBeCloseTo(at(100) - at(10), 10);
  });
});
