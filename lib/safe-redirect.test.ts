import { describe, expect, it } from "vitest";
import { safeNextPath } from "@/lib/safe-redirect";

describe("safeNextPath", () => {
  it("keeps same-origin paths with their query and fragment", () => {
    expect(safeNextPath("/account/sessions")).toBe("/account/sessions");
    expect(safeNextPath("/account?tab=1#top")).toBe("/account?tab=1#top");
    expect(safeNextPath("/a/../account")).toBe("/account");
  });

  it.each([
    ["absolute URL", "https://evil.example/"],
    ["scheme-relative", "//evil.example"],
    ["scheme-relative with path", "//evil.example/account"],
    ["backslash", "/\\evil.example"],
    ["double backslash", "\\\\evil.example"],
    ["backslash later", "/account\\..\\..\\evil"],
    ["tab inside", "/\t/evil.example"],
    ["newline", "/account\n//evil"],
    ["javascript:", "javascript:alert(1)"],
    ["data:", "data:text/html,hi"],
    ["relative", "account"],
    ["empty", ""],
    ["not a string", 42],
    ["array", ["/account"]],
    ["too long", "/" + "a".repeat(3000)],
  ])("falls back for %s", (_name, input) => {
    expect(safeNextPath(input)).toBe("/account");
  });

  it("leaves encoded tricks encoded, so they stay paths on this site", () => {
    expect(safeNextPath("/%2F%2Fevil.example")).toBe("/%2F%2Fevil.example");
    expect(safeNextPath("/%5Cevil.example")).toBe("/%5Cevil.example");
    expect(safeNextPath("/%09/evil.example")).toBe("/%09/evil.example");
  });

  it("uses the caller's fallback", () => {
    expect(safeNextPath("//evil", "/")).toBe("/");
  });
});
