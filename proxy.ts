// Next lets a page redirect or answer 404/401/403, but not 503. A page that
// shows a session's data must not render when the session store cannot be
// asked, and the visitor should be told so with the right status, so before
// such a page renders for a request that carries a session cookie this asks
// whether the database answers. It decides nothing about the session itself:
// the page still checks it (requireSession), and if the database fails in
// between, the page fails with an error instead of rendering.
import { NextResponse, type NextRequest } from "next/server";
import { databaseAnswers } from "@/lib/db";
import { DATABASE_UNAVAILABLE, errorPage } from "@/lib/errors";

export async function proxy(request: NextRequest) {
  // Server actions (POST) answer an outage in their own forms.
  if (request.method !== "GET" && request.method !== "HEAD") return NextResponse.next();
  if (await databaseAnswers()) return NextResponse.next();
  return errorPage(DATABASE_UNAVAILABLE, "Service unavailable");
}

// The session pages, when the request carries the cookie (either name:
// lib/auth/session-cookie.ts). Without one they redirect to sign-in without
// asking the database.
export const config = {
  matcher: [
    { source: "/account/:path*", has: [{ type: "cookie", key: "svj_session" }] },
    { source: "/account/:path*", has: [{ type: "cookie", key: "__Host-svj_session" }] },
  ],
};
