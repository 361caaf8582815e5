// Who is the client, which host did it ask for, over which scheme? Decided
// once per request by the server entry (server.ts) from the TCP connection
// and, only when TRUSTED_PROXIES says proxies sit in front, from the
// forwarding headers those proxies wrote. Whatever a client writes into
// X-Forwarded-* itself is never believed: with no trusted proxy the address
// is the socket's peer. The result replaces the request's X-Forwarded-*
// headers before Next sees them, so the app reads one trustworthy value.
import type { IncomingHttpHeaders } from "node:http";
import { isIP } from "node:net";

export type Forwarded = { for: string; host: string; proto: "http" | "https" };

const FORWARDING_HEADERS = [
  "x-forwarded-for",
  "x-forwarded-host",
  "x-forwarded-proto",
  "x-forwarded-port",
  "forwarded",
  "x-real-ip",
];

function list(value: string | string[] | undefined): string[] {
  const joined = Array.isArray(value) ? value.join(",") : (value ?? "");
  return joined
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean);
}

// IPv4 clients of a dual-stack socket appear as ::ffff:a.b.c.d.
export function plainAddress(address: string): string {
  return address.replace(/^::ffff:(?=\d+\.)/i, "").slice(0, 64);
}

// A proxy's entry as a bare address: some write "ip:port" or "[v6]:port".
// Anything that is still not an IP address is not believed.
function entryAddress(entry: string): string | null {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(entry);
  const v4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(entry);
  const address = plainAddress(bracketed?.[1] ?? v4WithPort?.[1] ?? entry);
  return isIP(address) ? address : null;
}

// Each trusted proxy appends the address it received the request from, so
// the chain is [what the client wrote…, client, proxy 1, …] + the socket's
// peer (the nearest proxy). The client is `trustedProxies` hops left of the
// peer; anything further left is the client's own writing.
//
// X-Forwarded-Host and -Proto: the value the outermost trusted proxy wrote,
// the `trustedProxies`-th from the right (a proxy that overwrites rather
// than appends leaves one value, which is then that one). Without a trusted
// proxy: the Host header and the socket's scheme.
export function resolveForwarded(
  headers: IncomingHttpHeaders,
  peer: string | undefined,
  trustedProxies: number,
  encrypted = false,
): Forwarded {
  const ownScheme = encrypted ? "https" : "http";
  const host = headers.host ?? "";
  if (trustedProxies === 0 || !peer) return { for: plainAddress(peer ?? ""), host, proto: ownScheme };
  const chain = [...list(headers["x-forwarded-for"]), peer];
  const client = entryAddress(chain[Math.max(0, chain.length - 1 - trustedProxies)]!) ?? plainAddress(peer);
  const outermost = <T extends string>(values: string[], fallback: T) =>
    values[Math.max(0, values.length - trustedProxies)] ?? fallback;
  const proto = outermost(
    list(headers["x-forwarded-proto"]).map((p) => p.toLowerCase()),
    ownScheme,
  );
  return {
    for: client,
    host: outermost(list(headers["x-forwarded-host"]), host),
    proto: proto === "https" ? "https" : "http",
  };
}

// Replaces whatever forwarding headers arrived with the resolved ones.
export function applyForwarded(headers: IncomingHttpHeaders, forwarded: Forwarded): void {
  for (const name of FORWARDING_HEADERS) delete headers[name];
  headers["x-forwarded-for"] = forwarded.for;
  headers["x-forwarded-host"] = forwarded.host;
  headers["x-forwarded-proto"] = forwarded.proto;
}
