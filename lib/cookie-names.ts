// The two cookies, named once for the server, the proxy, the dashboard's
// page script (which checks it cannot see them) and the bench. Over https
// they carry a prefix: __Host- for the session (Path=/), __Secure- for the
// refresh token (its narrower path rules out __Host-).
export const SESSION_COOKIE = "svj_session";
export const REFRESH_COOKIE = "svj_refresh";
export const REFRESH_PATH = "/api/auth/refresh";

// The most of one cookie, name and value in bytes, a browser keeps: RFC
// 6265bis §5.6 has user agents ignore a longer one (Chromium drops it
// silently). A cookie longer than this is never set: a browser would not
// keep it, and its Set-Cookie could outgrow a proxy's buffer for an
// answer's headers (docs/strategies.md, "Size").
export const MAX_COOKIE_BYTES = 4096;

export const sessionCookieName = (secure: boolean) => (secure ? `__Host-${SESSION_COOKIE}` : SESSION_COOKIE);
export const refreshCookieName = (secure: boolean) => (secure ? `__Secure-${REFRESH_COOKIE}` : REFRESH_COOKIE);

// The strategies lab's cookies (lib/showcase/lab.ts): one set per strategy,
// sent only to that strategy's routes. Over https, __Secure- (a path other
// than / rules out __Host-).
export const LAB_COOKIE_PREFIX = "svj_lab_";
export const labCookiePath = (strategy: string) => `/api/lab/${strategy}`;
export function labCookieName(strategy: string, part: string, secure: boolean): string {
  const name = `${LAB_COOKIE_PREFIX}${strategy.replaceAll("-", "_")}${part ? `_${part}` : ""}`;
  return secure ? `__Secure-${name}` : name;
}
