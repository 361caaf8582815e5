// The `auth` entry of Server-Timing: the credential check alone, as
// `npm run bench` measures it, visible in any browser's developer tools.
// Written by the routes, read by the dashboard and the strategies lab.

// Whether this instance checked the same credential before: then its
// signature or seal comes from memory (lib/auth/jwt.ts,
// lib/auth/session-cookie.ts), ten to a hundred times cheaper than the
// first time, so the two are reported apart. "none": no credential sent.
export type CheckKind = "first sight" | "seen before" | "none";

// `auth;desc="session, seen before";dur=0.42`.
export function serverTiming(mechanism: string, ms: number, kind: CheckKind): string {
  return `auth;desc="${mechanism}, ${kind}";dur=${ms.toFixed(2)}`;
}

const AUTH_ENTRY = /auth;desc="(?:[^",]*)(?:, ([^"]*))?";dur=([\d.]+)/;

export function parseAuthTiming(header: string | null): { ms: number; kind: string | null } | null {
  const match = header ? AUTH_ENTRY.exec(header) : null;
  return match ? { ms: Number(match[2]), kind: match[1] ?? null } : null;
}
