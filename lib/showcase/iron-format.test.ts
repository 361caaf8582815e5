import { describe, expect, it } from "vitest";
import { sealData } from "iron-session";
import { describeSeal, parseSeal } from "@/lib/showcase/iron-format";

describe("parseSeal", () => {
  it("names every field of a real iron-session seal", async () => {
    const password = { "3": "a-cookie-password-of-at-least-32-chars!!" };
    const sealed = await sealData({ token: "x".repeat(43) }, { password, ttl: 3600 });
    const parsed = parseSeal(sealed);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value.fields.map((f) => f.name)).toEqual([
      "format",
      "password id",
      "encryption salt",
      "IV",
      "ciphertext",
      "expiration",
      "HMAC salt",
      "HMAC",
      "iron-session version",
    ]);
    expect(parsed.value.fields[1]!.value).toBe("3");
    expect(parsed.value.fields.map((f) => f.value).join("*")).toBe(sealed.replace("~", "*"));
    expect(parsed.value.bytes).toBe(sealed.length);
    expect(Math.abs(parsed.value.expiresAt!.getTime() - (Date.now() + 3600_000))).toBeLessThan(120_000);
  });

  it("refuses what is not a seal", () => {
    expect(parseSeal("hello").ok).toBe(false);
    expect(parseSeal("Fe26.1*1*a*b*c*d*e*f").ok).toBe(false);
    expect(parseSeal("Fe26.2*1*a*b").ok).toBe(false);
  });
});

describe("describeSeal", () => {
  it("shows lengths and short prefixes of the random fields, never enough to rebuild the seal", async () => {
    const sealed = await sealData(
      { token: "y".repeat(43) },
      { password: { "1": "a-cookie-password-of-at-least-32-chars!!" }, ttl: 3600 },
    );
    const anatomy = describeSeal(sealed);
    expect(anatomy.ok).toBe(true);
    if (!anatomy.ok) return;
    const parts = sealed.replace("~", "*").split("*");
    anatomy.value.fields.forEach((field, i) => expect(field.length).toBe(parts[i]!.length));
    const secret = anatomy.value.fields.filter((f) =>
      ["encryption salt", "IV", "ciphertext", "HMAC salt", "HMAC"].includes(f.name),
    );
    expect(secret).toHaveLength(5);
    for (const field of secret) expect(field.shown).toMatch(/^[\w-]{6}…$/);
    expect(JSON.stringify(anatomy)).not.toContain(parts[4]!); // the ciphertext
    expect(JSON.stringify(anatomy)).not.toContain(parts[7]!); // the HMAC
  });
});
