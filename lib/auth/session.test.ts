import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decideExpiry, generateSessionToken, hashSessionToken, idleExpiresAt } from "@/lib/auth/session";
import type { SessionPolicy } from "@/lib/config";

const policy: SessionPolicy = { idleTimeoutMs: 30 * 60_000, absoluteTimeoutMs: 8 * 3_600_000, renewIntervalMs: 60_000 };
const t0 = new Date("2026-05-01T08:00:00Z");
const at = (ms: number) => new Date(t0.getTime() + ms);
const MIN = 60_000;
const session = (lastSeenMs: number) => ({ lastSeenAt: at(lastSeenMs), absoluteExpiresAt: at(8 * 60 * MIN) });

describe("session tokens", () => {
  it("are 256-bit random, base64url", () => {
    const token = generateSessionToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, "base64url")).toHaveLength(32);
    expect(new Set(Array.from({ length: 1000 }, generateSessionToken)).size).toBe(1000);
  });

  it("are stored as their SHA-256 hex digest", () => {
    const token = generateSessionToken();
    expect(hashSessionToken(token)).toBe(createHash("sha256").update(token).digest("hex"));
    expect(hashSessionToken(token)).not.toContain(token);
  });
});

describe("expiry decisions (injected clock)", () => {
  it("renews last-seen at most once a minute", () => {
    expect(decideExpiry(session(0), at(59_999), policy)).toEqual({ state: "active", renew: false });
    expect(decideExpiry(session(0), at(60_000), policy)).toEqual({ state: "active", renew: true });
  });

  it("expires after the idle limit since last seen", () => {
    expect(decideExpiry(session(0), at(30 * MIN - 1), policy).state).toBe("active");
    expect(decideExpiry(session(0), at(30 * MIN), policy)).toEqual({ state: "expired", reason: "idle" });
    expect(idleExpiresAt(session(5 * MIN), policy)).toEqual(at(35 * MIN));
  });

  it("expires at the absolute limit however active the session is", () => {
    const busy = session(8 * 60 * MIN - 1000);
    expect(decideExpiry(busy, at(8 * 60 * MIN - 1), policy).state).toBe("active");
    expect(decideExpiry(busy, at(8 * 60 * MIN), policy)).toEqual({ state: "expired", reason: "absolute" });
  });

  it("reports the absolute limit when both have passed", () => {
    expect(decideExpiry(session(0), at(9 * 60 * MIN), policy)).toEqual({ state: "expired", reason: "absolute" });
  });
});
