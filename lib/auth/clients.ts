// The OAuth clients this server knows, all public (RFC 6749 §2.1: no
// secret): where each one gets its refresh token, whether a spent one is
// answered again within REFRESH_REUSE_GRACE (lib/auth/refresh.ts), a
// per-client setting as at Okta ("grace period for token rotation") and
// Auth0 ("reuse interval"), and where an authorization code may be sent.
// "browser-strict" never answers a spent token again, which is rotation as
// RFC 9700 §4.14.2 describes it; the dashboard's several-tabs experiment
// signs in with it to show what the grace window is for.
import { config } from "@/lib/config";

type Client = {
  refreshTokenInCookie: boolean;
  reuseGrace: boolean;
  // The authorization code flow (lib/auth/authorization-request.ts): the
  // redirect URIs it may be sent to. None: the client cannot use it.
  redirect: "loopback" | "none";
};

const CLIENTS = {
  api: { refreshTokenInCookie: false, reuseGrace: true, redirect: "none" },
  browser: { refreshTokenInCookie: true, reuseGrace: true, redirect: "none" },
  "browser-strict": { refreshTokenInCookie: true, reuseGrace: false, redirect: "none" },
  // The backend-for-frontend (lib/auth/bff.ts): this server itself, holding
  // the pair for a browser that never sees it.
  bff: { refreshTokenInCookie: false, reuseGrace: true, redirect: "none" },
  // The command-line client (`npm run client -- login`), a native app: it
  // signs in through the system browser and receives the code on a port of
  // its own on this machine (RFC 8252 §7.3).
  cli: { refreshTokenInCookie: false, reuseGrace: true, redirect: "loopback" },
} as const satisfies Record<string, Client>;

export type ClientId = keyof typeof CLIENTS;
export const CLIENT_IDS = Object.keys(CLIENTS) as [ClientId, ...ClientId[]];

function known(clientId: string): Client | null {
  return Object.hasOwn(CLIENTS, clientId) ? CLIENTS[clientId as ClientId] : null;
}

export function isClientId(clientId: string): clientId is ClientId {
  return known(clientId) !== null;
}

// Browsers get it in an HttpOnly cookie, never where page script can read it.
export function refreshTokenInCookie(clientId: string): boolean {
  return known(clientId)?.refreshTokenInCookie ?? false;
}

export function reuseGraceMs(clientId: string): number {
  return known(clientId)?.reuseGrace === false ? 0 : config().jwt.refreshReuseGraceMs;
}

// The path a loopback redirect must have: the port is the client's choice
// (it takes whichever is free), the rest is fixed.
export const LOOPBACK_REDIRECT_PATH = "/callback";

// RFC 8252 §7.3 and §8.3: a loopback redirect is `http` to the literal
// 127.0.0.1 or [::1] (not "localhost", which a hosts file or DNS could point
// elsewhere), on any port, and is otherwise compared exactly: no user info,
// no query, no fragment, the registered path.
function isLoopbackRedirect(uri: string): boolean {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return false;
  }
  return (
    url.protocol === "http:" &&
    (url.hostname === "127.0.0.1" || url.hostname === "[::1]") &&
    url.username === "" &&
    url.password === "" &&
    url.pathname === LOOPBACK_REDIRECT_PATH &&
    url.search === "" &&
    url.hash === "" &&
    // The URL parser normalises (case, default port, dot segments): what
    // was sent must already be the normal form, so that the URI compared
    // at the token endpoint is the one the code was sent to.
    url.href === uri
  );
}

// Whether an authorization code for `clientId` may be sent to `uri`.
export function redirectUriAllowed(clientId: string, uri: string): boolean {
  const client = known(clientId);
  if (!client) return false;
  switch (client.redirect) {
    case "loopback":
      return isLoopbackRedirect(uri);
    case "none":
      return false;
  }
}
