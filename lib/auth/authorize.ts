// What GET /authorize does: this is where the session and the tokens meet.
// The person signs in with a session (the login page, then back here); the
// session's user, at the session's credential version, is what the code
// stands for. First-party clients only, so no consent screen: a signed-in
// person goes straight back to the client with a code.
import "server-only";
import { DATABASE_UNAVAILABLE, errorPage } from "@/lib/errors";
import { getRequestSession } from "@/lib/auth/current-session";
import { issueAuthorizationCode } from "@/lib/auth/authorization-code";
import { authorizationResponseUrl, parseAuthorizationRequest } from "@/lib/auth/authorization-request";
import { recordEvent } from "@/lib/auth/events";
import { clientInfo } from "@/lib/http";

// Every answer here carries Referrer-Policy: same-origin (next.config.mjs),
// so the client's loopback page is not told the /authorize URL it came from.
function redirect(location: string): Response {
  return new Response(null, { status: 302, headers: { "Cache-Control": "no-store", Location: location } });
}

export async function authorizeRequest(request: Request): Promise<Response> {
  const url = new URL(request.url);
  const parsed = parseAuthorizationRequest(url.searchParams);
  if (parsed.kind === "refused") return errorPage(parsed.error, "This sign-in link cannot be used");
  if (parsed.kind === "redirect_error")
    return redirect(
      authorizationResponseUrl(parsed.redirectUri, parsed.state, {
        error: parsed.error.code,
        error_description: parsed.error.description,
      }),
    );
  // A code goes to a page navigation (or a client outside a browser, which
  // sends no Sec-Fetch-Mode), never to a script's fetch: Next's router, for
  // one, fetches a redirect's target before it navigates to it, which would
  // mint a second code and send it to the client's port. Refused, it
  // navigates instead.
  const mode = request.headers.get("sec-fetch-mode");
  if (mode !== null && mode !== "navigate")
    return errorPage(
      {
        code: "invalid_request",
        description: "Open this address in the browser: codes are given to page navigations.",
      },
      "This sign-in link cannot be fetched",
    );
  const current = await getRequestSession(request);
  if (current.status === "unavailable") return errorPage(DATABASE_UNAVAILABLE, "Service unavailable");
  if (current.status !== "valid") {
    const login = new URLSearchParams({ next: `${url.pathname}${url.search}` });
    if (current.hadCookie) login.set("reason", current.reason);
    return redirect(`/login?${login}`);
  }
  const { state, ...grant } = parsed.request;
  const code = await issueAuthorizationCode(grant, {
    id: current.user.id,
    credentialVersion: current.session.credentialVersion,
  });
  await recordEvent({
    type: "code.issued",
    userId: current.user.id,
    mechanism: "jwt",
    client: clientInfo(request.headers),
    detail: { client_id: grant.clientId, session: current.session.id },
  });
  return redirect(authorizationResponseUrl(grant.redirectUri, state, { code }));
}
