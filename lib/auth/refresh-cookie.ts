// A browser's refresh token: an HttpOnly, SameSite=Strict cookie scoped to
// the refresh path, so it is sent only to the one endpoint that uses it and
// never to script or to other sites.
import { cookies } from "next/headers";
import { refreshCookieName, REFRESH_PATH } from "@/lib/cookie-names";
import { isSecureRequest } from "@/lib/http";

export async function setRefreshCookie(token: string, maxAgeSeconds: number, headers: Headers): Promise<void> {
  const secure = isSecureRequest(headers);
  (await cookies()).set(refreshCookieName(secure), token, {
    httpOnly: true,
    sameSite: "strict",
    secure,
    path: REFRESH_PATH,
    maxAge: maxAgeSeconds,
  });
}

export async function readRefreshCookie(headers: Headers): Promise<string | null> {
  return (await cookies()).get(refreshCookieName(isSecureRequest(headers)))?.value ?? null;
}
