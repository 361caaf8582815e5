import { describe, expect, it } from "vitest";
import { decideSpent, generateRefreshToken, hashRefreshToken, successorOf } from "@/lib/auth/refresh";

const spentAt = new Date("2026-06-01T10:00:00Z");
const after = (ms: number) => new Date(spentAt.getTime() + ms);

describe("refresh tokens", () => {
  it("are opaque 256-bit values stored as SHA-256 hex", () => {
    const token = generateRefreshToken();
    expect(Buffer.from(token, "base64url")).toHaveLength(32);
    expect(hashRefreshToken(token)).toMatch(/^[0-9a-f]{64}$/);
  });

  it("a token's successor is always the same 256-bit value, different for every token", () => {
    const [a, b] = [generateRefreshToken(), generateRefreshToken()];
    expect(successorOf(a)).toBe(successorOf(a));
    expect(Buffer.from(successorOf(a), "base64url")).toHaveLength(32);
    expect(successorOf(a)).not.toBe(successorOf(b));
    expect(successorOf(successorOf(a))).not.toBe(successorOf(a));
  });

  it("a spent token is within the grace window before its edge, theft at and after it", () => {
    expect(decideSpent(spentAt, after(0), 5000)).toBe("grace");
    expect(decideSpent(spentAt, after(4999), 5000)).toBe("grace");
    expect(decideSpent(spentAt, after(5000), 5000)).toBe("reuse");
    expect(decideSpent(spentAt, after(60_000), 5000)).toBe("reuse");
    expect(decideSpent(spentAt, after(0), 0)).toBe("reuse");
  });
});
