// The OAuth clients this server knows, all public (RFC 6749 §2.1: no
// secret): where each one gets its refresh token, and whether a spent one is
// answered again within REFRESH_REUSE_GRACE (lib/auth/refresh.ts), a
// per-client setting as at Okta ("grace period for token rotation") and
// Auth0 ("reuse interval"). "browser-strict" never answers a spent token
// again, which is rotation as RFC 9700 §4.14.2 describes it; the
// dashboard's several-tabs experiment signs in with it to show what the
// grace window is for.
import { config } from "@/lib/config";

const CLIENTS = {
  api: { refreshTokenInCookie: false, reuseGrace: true },
  browser: { refreshTokenInCookie: true, reuseGrace: true },
  "browser-strict": { refreshTokenInCookie: true, reuseGrace: false },
  // The backend-for-frontend (lib/auth/bff.ts): this server itself, holding
  // the pair for a browser that never sees it.
  bff: { refreshTokenInCookie: false, reuseGrace: true },
} as const;

export type ClientId = keyof typeof CLIENTS;
export const CLIENT_IDS = Object.keys(CLIENTS) as [ClientId, ...ClientId[]];

function known(clientId: string): (typeof CLIENTS)[ClientId] | null {
  return Object.hasOwn(CLIENTS, clientId) ? CLIENTS[clientId as ClientId] : null;
}

// Browsers get it in an HttpOnly cookie, never where page script can read it.
export function refreshTokenInCookie(clientId: string): boolean {
  return known(clientId)?.refreshTokenInCookie ?? false;
}

export function reuseGraceMs(clientId: string): number {
  return known(clientId)?.reuseGrace === false ? 0 : config().jwt.refreshReuseGraceMs;
}
