// Who a client is, for limits and fair shares: its address, or the network
// one party likely holds whole. A client picks neither (lib/forwarded.ts
// decides the address from the connection).
import type { ClientInfo } from "@/lib/http";

function isIpv6(ip: string): boolean {
  return ip.includes(":") && !ip.startsWith("::ffff:");
}

// The first `count` groups of an IPv6 address, "::" expanded, leading zeros dropped.
function ipv6Prefix(ip: string, count: number): string {
  const [head = "", tail = ""] = ip.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = ip.includes("::") ? [...left, ...Array(8 - left.length - right.length).fill("0"), ...right] : left;
  return groups
    .slice(0, count)
    .map((group) => group.toLowerCase().replace(/^0+(?=.)/, ""))
    .join(":");
}

// IPv6 clients usually control a whole /64, so that is the unit throttled.
export function addressBucket(ip: string): string {
  return isIpv6(ip) ? `${ipv6Prefix(ip, 4)}::/64` : ip.replace(/^::ffff:/, "");
}

// A network one party is likely to hold whole: IPv4 /24, IPv6 /48.
export function networkBucket(ip: string): string {
  return isIpv6(ip)
    ? `${ipv6Prefix(ip, 3)}::/48`
    : `${ip
        .replace(/^::ffff:/, "")
        .split(".")
        .slice(0, 3)
        .join(".")}.0/24`;
}

// A client's place in a fair share (the bcrypt queue, lib/auth/bcrypt-pool.ts):
// its network, then its address. Clients with no address share one place.
export type ClientShare = { network: string; address: string };

export function clientShare(client: Pick<ClientInfo, "ip">): ClientShare {
  return client.ip
    ? { network: networkBucket(client.ip), address: addressBucket(client.ip) }
    : { network: "unknown", address: "unknown" };
}
