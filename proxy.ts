// Runs before Next renders a page (any path that is not /api, /.well-known
// or a static asset), for three things Next cannot do by itself:
// - Form posts (server actions) are checked first (lib/server-actions.ts),
//   so a malformed or cross-site one is a 4xx instead of Next's 500. Next
//   runs actions on any path that is not a route handler; /api and
//   /.well-known are route handlers throughout (lib/not-found.ts catches
//   unknown ones), so API traffic never pays for this.
// - A page that shows a session's data (/account…) must not render, nor its
//   forms run, when the session store cannot be asked, and Next lets a page
//   redirect or answer 404/401/403 but not 503. So for such a request
//   carrying a session cookie this asks whether the database answers, and
//   answers 503 if not. It decides nothing about the session itself: the
//   page still checks it (requireSession), and if the database fails in
//   between, the page fails with an error instead of rendering.
// - Every page gets a strict Content-Security-Policy with a fresh nonce
//   (lib/content-security-policy.ts); Next reads it from the request and
//   puts it on its own scripts.
import { NextResponse, type NextRequest } from "next/server";
import { config as appConfig } from "@/lib/config";
import { contentSecurityPolicy, newNonce } from "@/lib/content-security-policy";
import { SELF_FRAMED_PATH } from "@/lib/self-framed";
import { sessionCookieName } from "@/lib/cookie-names";
import { databaseAnswers } from "@/lib/db";
import { DATABASE_UNAVAILABLE, errorPage } from "@/lib/errors";
import { checkServerActionRequest, mayBeServerAction } from "@/lib/server-actions";

const SESSION_COOKIES = [sessionCookieName(false), sessionCookieName(true)];

function isSessionPage(request: NextRequest): boolean {
  const { pathname } = request.nextUrl;
  return (
    (pathname === "/account" || pathname.startsWith("/account/")) &&
    SESSION_COOKIES.some((name) => request.cookies.has(name))
  );
}

function withContentSecurityPolicy(request: NextRequest): NextResponse {
  const { resourceServerUrl } = appConfig();
  const policy = contentSecurityPolicy(newNonce(), resourceServerUrl ? [resourceServerUrl] : [], {
    framedBySelf: request.nextUrl.pathname === SELF_FRAMED_PATH,
  });
  const headers = new Headers(request.headers);
  headers.set("Content-Security-Policy", policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("Content-Security-Policy", policy);
  return response;
}

export async function proxy(request: NextRequest) {
  if (isSessionPage(request) && !(await databaseAnswers()))
    return errorPage(DATABASE_UNAVAILABLE, "Service unavailable");
  if (mayBeServerAction(request)) {
    const refused = await checkServerActionRequest(request);
    if (refused) return refused;
  }
  return withContentSecurityPolicy(request);
}

// Constants only (Next reads them at build time). Running this costs about
// as much as a whole /api/health request (measured), hence not on /api.
export const config = {
  // /authorize is a route handler with pages of its own (lib/auth/authorize.ts).
  matcher: ["/((?!api/|\\.well-known/|authorize$|_next/static/|_next/image$).*)"],
};
