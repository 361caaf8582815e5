import bcrypt from "bcryptjs";
import { afterEach, describe, expect, it, vi } from "vitest";
import * as pool from "@/lib/auth/bcrypt-pool";
import {
  checkEmail,
  checkPasswordPolicy,
  hashPassword,
  normalizeEmail,
  passwordByteLength,
  prepareDummyHash,
  verifyPassword,
} from "@/lib/auth/password";

describe("password policy", () => {
  it("accepts 8 and 72 bytes, refuses 7 and 73", () => {
    expect(checkPasswordPolicy("a".repeat(7)).ok).toBe(false);
    expect(checkPasswordPolicy("a".repeat(8)).ok).toBe(true);
    expect(checkPasswordPolicy("a".repeat(71)).ok).toBe(true);
    expect(checkPasswordPolicy("a".repeat(72)).ok).toBe(true);
    const tooLong = checkPasswordPolicy("a".repeat(73));
    expect(tooLong).toMatchObject({ ok: false });
    expect(!tooLong.ok && tooLong.error.description).toContain("at most 72 bytes (this one is 73");
  });

  it("counts UTF-8 bytes, not characters", () => {
    expect(passwordByteLength("é")).toBe(2);
    expect(passwordByteLength("😀")).toBe(4);
    expect(checkPasswordPolicy("é".repeat(36)).ok).toBe(true); // 72 bytes
    expect(checkPasswordPolicy("é".repeat(36) + "a").ok).toBe(false); // 73 bytes
    expect(checkPasswordPolicy("😀".repeat(18)).ok).toBe(true); // 72 bytes
    expect(checkPasswordPolicy("😀".repeat(18) + "a").ok).toBe(false);
    expect(checkPasswordPolicy("ééé").ok).toBe(false); // 6 bytes
    expect(checkPasswordPolicy("éééé").ok).toBe(true); // 8 bytes
  });

  it("measures after NFKC normalisation", () => {
    const decomposed = "e\u0301"; // 3 bytes before NFKC, "é" (2 bytes) after
    expect(checkPasswordPolicy(decomposed.repeat(36)).ok).toBe(true);
    const fullWidth = "１２３４５６７８"; // 24 bytes, NFKC → "12345678"
    expect(checkPasswordPolicy(fullWidth)).toEqual({ ok: true, value: "12345678" });
    expect(checkPasswordPolicy("ｐａｓｓ")).toMatchObject({ ok: false });
  });
});

describe("email", () => {
  it("trims, NFKC-normalises and lower-cases", () => {
    expect(normalizeEmail("  Alice@Example.COM \n")).toBe("alice@example.com");
    expect(normalizeEmail("ＡＬＩＣＥ＠ｅｘａｍｐｌｅ．ｃｏｍ")).toBe("alice@example.com");
    expect(checkEmail(" Bob@Example.org ")).toEqual({ ok: true, value: "bob@example.org" });
  });

  it("refuses what is not an address", () => {
    for (const bad of [
      "",
      "   ",
      "alice",
      "alice@",
      "@example.com",
      "alice@example",
      "a b@example.com",
      "a@b@c.com",
      "a\u0000@b.com",
    ]) {
      expect(checkEmail(bad).ok, JSON.stringify(bad)).toBe(false);
    }
  });

  it("refuses the reserved .invalid domain, where experiments keep their throwaway accounts", () => {
    expect(checkEmail("several-tabs.abc.def@scenario.invalid")).toMatchObject({
      ok: false,
      error: { code: "email_reserved" },
    });
    expect(checkEmail("x@Scenario.INVALID").ok).toBe(false);
    expect(checkEmail("x@invalid.example.com").ok).toBe(true);
  });

  it("allows 254 characters and not 255", () => {
    const domain = "@example.com";
    expect(checkEmail("a".repeat(254 - domain.length) + domain).ok).toBe(true);
    expect(checkEmail("a".repeat(255 - domain.length) + domain).ok).toBe(false);
  });
});

describe("hashing", () => {
  afterEach(() => vi.restoreAllMocks());

  it("stores a bcrypt hash at the configured cost and verifies it", async () => {
    const hash = await hashPassword("correct horse battery");
    expect(hash).toMatch(/^\$2b\$04\$/);
    expect(await verifyPassword("correct horse battery", hash)).toBe(true);
    expect(await verifyPassword("correct horse battery!", hash)).toBe(false);
  });

  it("matches a password typed composed or decomposed", async () => {
    const hash = await hashPassword("caf\u00e9-au-lait");
    expect(await verifyPassword("cafe\u0301-au-lait", hash)).toBe(true);
  });

  it("once prepared at start, an unknown user costs one comparison and no hashing, from the first one on", async () => {
    await prepareDummyHash();
    const hash = vi.spyOn(pool, "bcryptHash");
    const compare = vi.spyOn(pool, "bcryptCompare");
    expect(await verifyPassword("anything at all", null)).toBe(false);
    expect(hash).not.toHaveBeenCalled();
    expect(compare).toHaveBeenCalledTimes(1);
  });

  it("does a full comparison for an unknown user and says no", async () => {
    const compare = vi.spyOn(pool, "bcryptCompare");
    expect(await verifyPassword("anything at all", null)).toBe(false);
    expect(compare).toHaveBeenCalledTimes(1);
    const [, dummy] = compare.mock.calls[0] as [string, string];
    expect(bcrypt.getRounds(dummy)).toBe(4);
  });
});
