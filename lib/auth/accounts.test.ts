import { describe, expect, it } from "vitest";
import { parseCredentials } from "@/lib/auth/accounts";

describe("parseCredentials", () => {
  it("normalises a valid pair", () => {
    expect(parseCredentials({ email: " Ann@Example.com", password: "long enough" })).toEqual({
      ok: true,
      value: { email: "ann@example.com", password: "long enough" },
    });
  });

  it("refuses anything but an object", () => {
    for (const input of [null, [], "text", 42, true]) {
      expect(parseCredentials(input)).toMatchObject({
        ok: false,
        error: { code: "invalid_request", description: "Send a JSON object with email and password." },
      });
    }
  });

  it("gives one message per bad field", () => {
    expect(parseCredentials({})).toMatchObject({
      ok: false,
      error: { fields: { email: "Enter your email address.", password: "Enter a password." } },
    });
    expect(parseCredentials({ email: 7, password: ["x"] })).toMatchObject({
      ok: false,
      error: { fields: { email: "Email must be a string.", password: "Password must be a string." } },
    });
    const result = parseCredentials({ email: "ann@example.com", password: "p".repeat(73) });
    expect(result.ok).toBe(false);
    expect(!result.ok && "fields" in result.error && Object.keys(result.error.fields ?? {})).toEqual(["password"]);
  });
});
