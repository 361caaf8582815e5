import { describe, expect, it } from "vitest";
import { readRequestTarget } from "@/lib/request-target";

describe("request targets (RFC 9112 §3.2)", () => {
  it("passes origin-form through", () => {
    expect(readRequestTarget("/api/health?x=1")).toEqual({ form: "origin" });
  });

  it("rewrites absolute-form to its path, its authority becoming the host", () => {
    expect(readRequestTarget("http://localhost:3000/api/me?a=b")).toEqual({
      form: "absolute",
      path: "/api/me?a=b",
      host: "localhost:3000",
    });
    expect(readRequestTarget("HTTPS://auth.example")).toEqual({ form: "absolute", path: "/", host: "auth.example" });
  });

  it("recognises asterisk-form, and refuses what is none of them", () => {
    expect(readRequestTarget("*")).toEqual({ form: "asterisk" });
    for (const target of ["http://[", "api/health", "ftp://x/y", "http://user:pw@host/", "", "**"])
      expect(readRequestTarget(target), target).toEqual({ form: "invalid" });
  });
});
