import { describe, expect, it } from "vitest";
import { addressBucket, clientShare, networkBucket } from "@/lib/auth/client-networks";

describe("address buckets", () => {
  it("keeps IPv4 addresses and unwraps IPv4-mapped IPv6", () => {
    expect(addressBucket("203.0.113.7")).toBe("203.0.113.7");
    expect(addressBucket("::ffff:203.0.113.7")).toBe("203.0.113.7");
  });

  it("groups IPv6 clients by /64", () => {
    expect(addressBucket("2001:db8:aa:bb:1:2:3:4")).toBe("2001:db8:aa:bb::/64");
    expect(addressBucket("2001:DB8:AA:BB::99")).toBe("2001:db8:aa:bb::/64");
    expect(addressBucket("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(addressBucket("::1")).toBe("0:0:0:0::/64");
  });
});

describe("network buckets", () => {
  it("groups IPv4 by /24 and IPv6 by /48", () => {
    expect(networkBucket("203.0.113.7")).toBe("203.0.113.0/24");
    expect(networkBucket("::ffff:203.0.113.7")).toBe("203.0.113.0/24");
    expect(networkBucket("2001:db8:aa:bb:1:2:3:4")).toBe("2001:db8:aa::/48");
    expect(networkBucket("2001:db8::1")).toBe("2001:db8:0::/48");
  });

  it("gives a client its network, then its address", () => {
    expect(clientShare({ ip: "127.0.0.9" })).toEqual({ network: "127.0.0.0/24", address: "127.0.0.9" });
    expect(clientShare({ ip: null })).toEqual({ network: "unknown", address: "unknown" });
  });
});
