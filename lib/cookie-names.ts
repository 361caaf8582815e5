// The two cookies, named once for the server, the proxy, the dashboard's
// page script (which checks it cannot see them) and the bench. Over https
// they carry a prefix: __Host- for the session (Path=/), __Secure- for the
// refresh token (its narrower path rules out __Host-).
export const SESSION_COOKIE = "svj_session";
export const REFRESH_COOKIE = "svj_refresh";
export const REFRESH_PATH = "/api/auth/refresh";

export const sessionCookieName = (secure: boolean) => (secure ? `__Host-${SESSION_COOKIE}` : SESSION_COOKIE);
export const refreshCookieName = (secure: boolean) => (secure ? `__Secure-${REFRESH_COOKIE}` : REFRESH_COOKIE);
