import { describe, expect, it } from "vitest";
import { formatDuration, formatElapsed, formatSpan } from "@/lib/duration";

describe("formatDuration", () => {
  it("uses the largest whole unit", () => {
    expect(formatDuration(8 * 3_600_000)).toBe("8 h");
    expect(formatDuration(30 * 60_000)).toBe("30 min");
    expect(formatDuration(90 * 60_000)).toBe("90 min");
    expect(formatDuration(3000)).toBe("3 s");
  });
});

describe("formatSpan", () => {
  it("counts down in m:ss, then hours and minutes, then days and hours", () => {
    expect(formatSpan(299_600)).toBe("5:00");
    expect(formatSpan(59_000)).toBe("0:59");
    expect(formatSpan(8 * 3_600_000 - 60_000)).toBe("7h 59m");
    expect(formatSpan(14 * 86_400_000 - 3_600_000)).toBe("13d 23h");
  });

  it("never goes below zero", () => {
    expect(formatSpan(-5000)).toBe("0:00");
  });
});

describe("formatElapsed", () => {
  it("says a measured wait in ms under a second, in tenths of seconds above", () => {
    expect(formatElapsed(49.4)).toBe("49 ms");
    expect(formatElapsed(999)).toBe("999 ms");
    expect(formatElapsed(29_068)).toBe("29.1 s");
  });
});
