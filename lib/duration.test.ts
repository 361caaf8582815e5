import { describe, expect, it } from "vitest";
import { formatDuration } from "@/lib/duration";

describe("formatDuration", () => {
  it("uses the largest whole unit", () => {
    expect(formatDuration(8 * 3_600_000)).toBe("8 h");
    expect(formatDuration(30 * 60_000)).toBe("30 min");
    expect(formatDuration(90 * 60_000)).toBe("90 min");
    expect(formatDuration(3000)).toBe("3 s");
  });
});
