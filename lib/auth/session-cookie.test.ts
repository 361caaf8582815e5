import { unsealData } from "iron-session";
import { afterEach, describe, expect, it, vi } from "vitest";
import { RequestCookies } from "next/dist/compiled/@edge-runtime/cookies";
import {
  findSessionCookie,
  sealSessionToken,
  sessionCookieAttributes,
  unsealSessionCookie,
} from "@/lib/auth/session-cookie";
import { sessionCookieName } from "@/lib/cookie-names";
import { generateSessionToken } from "@/lib/auth/session";

// Counts real unseals; behaviour is the library's own.
vi.mock("iron-session", async (original) => {
  const actual = await original<typeof import("iron-session")>();
  return { ...actual, unsealData: vi.fn(actual.unsealData) };
});

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

  describe("unsealed-value cache", () => {
    afterEach(() => vi.useRealTimers());

    it("unseals a cookie value once, then answers it from memory", async () => {
      const token = generateSessionToken();
      const sealed = await sealSessionToken(token, p1);
      vi.mocked(unsealData).mockClear();
      expect(await unsealSessionCookie(sealed, p1)).toBe(token);
      expect(await unsealSessionCookie(sealed, p1)).toBe(token);
      expect(unsealData).toHaveBeenCalledTimes(1);
    });

    it("keeps forged values out: each one is checked in full and refused", async () => {
      const sealed = await sealSessionToken(generateSessionToken(), p1);
      await unsealSessionCookie(sealed, p1);
      const forged = sealed.replace(/\*[^*]+$/, "*AAAA");
      vi.mocked(unsealData).mockClear();
      expect(await unsealSessionCookie(forged, p1)).toBeNull();
      expect(await unsealSessionCookie(forged, p1)).toBeNull();
      expect(unsealData).toHaveBeenCalledTimes(2);
    });

    it("remembers only the exact form iron-session writes, not spellings with junk after it", async () => {
      const token = generateSessionToken();
      const sealed = `${await sealSessionToken(token, p1)}junk`;
      vi.mocked(unsealData).mockClear();
      expect(await unsealSessionCookie(sealed, p1)).toBe(token);
      expect(await unsealSessionCookie(sealed, p1)).toBe(token);
      expect(unsealData).toHaveBeenCalledTimes(2);
    });

    it("forgets a value when its seal expires, and is per password set", async () => {
      vi.useFakeTimers({ toFake: ["Date"] });
      const token = generateSessionToken();
      const sealed = await sealSessionToken(token, p1);
      expect(await unsealSessionCookie(sealed, p1)).toBe(token);
      expect(await unsealSessionCookie(sealed, p2)).toBeNull();
      vi.setSystemTime(Date.now() + 8 * 3600_000 + 120_000);
      expect(await unsealSessionCookie(sealed, p1)).toBeNull();
    });
  });

  it("is HttpOnly, SameSite=Lax, Path=/, and __Host- + Secure over https", () => {
    expect(sessionCookieName(false)).toBe("svj_session");
    expect(sessionCookieName(true)).toBe("__Host-svj_session");
    expect(sessionCookieAttributes(true)).toEqual({
      httpOnly: true,
      sameSite: "lax",
      path: "/",
      secure: true,
      maxAge: 8 * 3600,
    });
    expect(sessionCookieAttributes(false).secure).toBe(false);
  });
});

// Route handlers read the cookie from the request's header
// (findSessionCookie), pages and actions through Next's cookies(): both
// must see the same value, or a page and an API call could disagree about
// who is signed in. Compared with the parser cookies() itself uses.
describe("findSessionCookie reads what cookies() reads", () => {
  const name = sessionCookieName(false);
  const headers = [
    null,
    "",
    `${name}=abc`,
    `other=1; ${name}=abc; third=3`,
    `${name}=first; ${name}=second`,
    `${name}=%E2%82%AC`,
    `${name}=%E2%82`,
    `${name}=good; ${name}=%E2%82`,
    `${name}=%E2%82; ${name}=good`,
    `${name}`,
    `${name}=`,
    `${name}=a=b`,
    `x${name}=nope`,
    `${name}x=nope`,
    ` ${name}=leading-space`,
    `a=1;${name}=no-space`,
    `a=1;    ${name}=many-spaces`,
    `a=1 ; ${name}=space-before`,
    `${name}="quoted"`,
    `${name}=Fe26.2*1*abc~2; ${sessionCookieName(true)}=secure`,
  ];
  it.each(headers.map((header) => [header]))("%j", (header) => {
    // As a request carries it (Headers trims the value).
    const request = new Headers(header === null ? {} : { cookie: header });
    const parsed = new RequestCookies(request).get(name);
    const found = findSessionCookie(request.get("cookie"), name);
    expect(found.value).toBe(parsed?.value ?? null);
    if (parsed !== undefined) expect(found.hadCookie).toBe(true);
  });

  it("on 2,000 generated headers", () => {
    // Pieces that meet at the parser's edges: separators, "=", escapes that
    // do and do not decode, and the name with and without neighbours.
    const pieces = [";", "; ", " ", "=", "%", "%41", "%E2%82", "%E2%82%AC", "a", name, `${name}=`, "x", "~2", "*"];
    let seed = 20261207;
    const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n) as number;
    for (let i = 0; i < 2000; i++) {
      const header = Array.from({ length: 1 + random(12) }, () => pieces[random(pieces.length)]).join("");
      const request = new Headers({ cookie: header });
      const parsed = new RequestCookies(request).get(name);
      const found = findSessionCookie(request.get("cookie"), name);
      expect(found.value, header).toBe(parsed?.value ?? null);
      if (parsed !== undefined) expect(found.hadCookie, header).toBe(true);
    }
  });

  it("tells a cookie sent but not decodable from no cookie", () => {
    expect(findSessionCookie(`${name}=%E2%82`, name)).toEqual({ value: null, hadCookie: true });
    expect(findSessionCookie(`other=%E2%82`, name)).toEqual({ value: null, hadCookie: false });
    expect(findSessionCookie(null, name)).toEqual({ value: null, hadCookie: false });
    expect(findSessionCookie(`x${name}=a; ${name}x=b`, name)).toEqual({ value: null, hadCookie: false });
  });
});
