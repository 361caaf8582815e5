import { describe, expect, it } from "vitest";
import { decideSpent, generateRefreshToken, hashRefreshToken } from "@/lib/auth/refresh";

const spentAt = new Date("2026-06-01T10:00:00Z");
const after = (ms: number) => new Date(spentAt.getTime() + ms);

describe("refresh tokens", () => {
  it("are opaque 256-bit values stored as SHA-256 hex", () => {
    const token = generateRefreshToken();
    expect(Buffer.from(token, "base64url")).toHaveLength(32);
    expect(hashRefreshToken(token)).toMatch(/^[0-9a-f]{64}$/);
  });

  it("a spent token is a concurrent rotation inside the grace window, theft at and after its edge", () => {
    expect(decideSpent(spentAt, after(0), 5000)).toBe("grace");
    expect(decideSpent(spentAt, after(4999), 5000)).toBe("grace");
    expect(decideSpent(spentAt, after(5000), 5000)).toBe("reuse");
    expect(decideSpent(spentAt, after(60_000), 5000)).toBe("reuse");
    expect(decideSpent(spentAt, after(0), 0)).toBe("reuse");
  });
});
