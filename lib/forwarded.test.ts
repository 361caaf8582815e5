import { describe, expect, it } from "vitest";
import { applyForwarded, resolveForwarded } from "@/lib/forwarded";

describe("resolveForwarded", () => {
  it("with no trusted proxy, believes the socket and the Host header, not what the client wrote", () => {
    const headers = {
      host: "app.test:3000",
      "x-forwarded-for": "203.0.113.66",
      "x-forwarded-host": "evil.test",
      "x-forwarded-proto": "https",
    };
    expect(resolveForwarded(headers, "::ffff:127.0.0.2", 0)).toEqual({
      for: "127.0.0.2",
      host: "app.test:3000",
      proto: "http",
    });
    expect(resolveForwarded(headers, "127.0.0.3", 0, true)).toMatchObject({ for: "127.0.0.3", proto: "https" });
  });

  it("behind one proxy that appends, takes the address that proxy saw, not the client's own entry", () => {
    // nginx: X-Forwarded-For $proxy_add_x_forwarded_for → "<client's own value>, <client>"; the socket is nginx.
    const headers = {
      host: "app.test",
      "x-forwarded-for": "6.6.6.6, 198.51.100.23",
      "x-forwarded-host": "app.test",
      "x-forwarded-proto": "https",
    };
    expect(resolveForwarded(headers, "10.0.0.2", 1)).toEqual({
      for: "198.51.100.23",
      host: "app.test",
      proto: "https",
    });
  });

  it("behind two proxies, goes two hops left of the socket; host and scheme from the outermost", () => {
    const headers = {
      host: "internal:3000",
      "x-forwarded-for": "6.6.6.6, 198.51.100.23, 10.0.0.1",
      "x-forwarded-host": "evil.test, app.test, internal",
      "x-forwarded-proto": "http, https, http",
    };
    expect(resolveForwarded(headers, "10.0.0.2", 2)).toEqual({
      for: "198.51.100.23",
      host: "app.test",
      proto: "https",
    });
  });

  it("when the chain is shorter than the proxies said, falls back to its leftmost entry and the Host header", () => {
    expect(resolveForwarded({ host: "h" }, "10.0.0.2", 3)).toEqual({ for: "10.0.0.2", host: "h", proto: "http" });
    expect(
      resolveForwarded({ host: "h", "x-forwarded-for": ["198.51.100.1", "198.51.100.2"] }, "10.0.0.2", 1).for,
    ).toBe("198.51.100.2");
  });

  it("takes a proxy's ip:port and [v6]:port entries as bare addresses, and falls back to the peer for anything that is not an address", () => {
    expect(resolveForwarded({ "x-forwarded-for": "198.51.100.23:51234" }, "10.0.0.2", 1).for).toBe("198.51.100.23");
    expect(resolveForwarded({ "x-forwarded-for": "[2001:db8::7]:443" }, "10.0.0.2", 1).for).toBe("2001:db8::7");
    expect(resolveForwarded({ "x-forwarded-for": "unknown" }, "10.0.0.2", 1).for).toBe("10.0.0.2");
    expect(resolveForwarded({ "x-forwarded-for": "a.b.c.d:1" }, "::ffff:10.0.0.2", 1).for).toBe("10.0.0.2");
  });
});

describe("applyForwarded", () => {
  it("replaces every forwarding header with the resolved values", () => {
    const headers: Record<string, string | string[] | undefined> = {
      host: "h",
      "x-forwarded-for": "6.6.6.6",
      "x-forwarded-port": "1",
      "x-real-ip": "6.6.6.6",
      forwarded: "for=6.6.6.6",
    };
    applyForwarded(headers, { for: "127.0.0.2", host: "h", proto: "http" });
    expect(headers).toEqual({
      host: "h",
      "x-forwarded-for": "127.0.0.2",
      "x-forwarded-host": "h",
      "x-forwarded-proto": "http",
    });
  });
});
