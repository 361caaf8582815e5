import { describe, expect, it } from "vitest";
import { sealSessionToken, sessionCookieAttributes, sessionCookieName, unsealSessionCookie } from "@/lib/auth/session-cookie";
import { generateSessionToken } from "@/lib/auth/session";

const p1 = { "1": "first-cookie-password-0123456789abcdef" };
const p2 = { "2": "second-cookie-password-0123456789abcdef" };

describe("session cookie", () => {
  it("round-trips a token through the iron seal", async () => {
    const token = generateSessionToken();
    const sealed = await sealSessionToken(token, p1);
    expect(sealed).toMatch(/^Fe26\.2\*1\*/);
    expect(sealed).not.toContain(token);
    expect(await unsealSessionCookie(sealed, p1)).toBe(token);
  });

  it("treats a tampered, truncated or foreign value as no session", async () => {
    const sealed = await sealSessionToken(generateSessionToken(), p1);
    const parts = sealed.split("*");
    parts[4] = parts[4]!.slice(0, -2) + (parts[4]!.endsWith("AA") ? "BB" : "AA");
    expect(await unsealSessionCookie(parts.join("*"), p1)).toBeNull();
    expect(await unsealSessionCookie(sealed.slice(0, sealed.length - 10), p1)).toBeNull();
    expect(await unsealSessionCookie("not-a-seal", p1)).toBeNull();
    expect(await unsealSessionCookie("", p1)).toBeNull();
    expect(await unsealSessionCookie("x".repeat(5000), p1)).toBeNull();
  });

  it("rotates passwords: the newest seals, older ones still unseal, unknown ids do not", async () => {
    const token = generateSessionToken();
    const oldCookie = await sealSessionToken(token, p1);
    const rotated = { ...p1, ...p2 };
    expect(await unsealSessionCookie(oldCookie, rotated)).toBe(token);
    const newCookie = await sealSessionToken(token, rotated);
    expect(newCookie).toMatch(/^Fe26\.2\*2\*/);
    expect(await unsealSessionCookie(newCookie, p1)).toBeNull();
    expect(await unsealSessionCookie(oldCookie, p2)).toBeNull();
  });

  it("is HttpOnly, SameSite=Lax, Path=/, and __Host- + Secure over https", () => {
    expect(sessionCookieName(false)).toBe("svj_session");
    expect(sessionCookieName(true)).toBe("__Host-svj_session");
    expect(sessionCookieAttributes(true)).toEqual({ httpOnly: true, sameSite: "lax", path: "/", secure: true, maxAge: 8 * 3600 });
    expect(sessionCookieAttributes(false).secure).toBe(false);
  });
});
