// What /authorize does: this is where the session and the tokens meet.
// The person signs in with a session (the login page, then back here); the
// session's user, at the session's credential version, is what the code
// stands for.
//
// A code is handed out without a question only when the person (or the
// client, through the system browser) opened the address themselves
// (Sec-Fetch-Site: none) or no browser is involved (no Sec-Fetch-Site: a
// client library). Reached from any page, this site's own login page
// included, it asks first: otherwise any site could send a signed-in
// person here and have a code delivered to a loopback port, where any
// program on the machine (or a forwarded port) may be listening
// (RFC 8252 §8.6). The answer is a same-origin form post.
import "server-only";
import { DATABASE_UNAVAILABLE, errorPage, escapeHtml, type AppError } from "@/lib/errors";
import { getRequestSession } from "@/lib/auth/current-session";
import { issueAuthorizationCode } from "@/lib/auth/authorization-code";
import {
  authorizationResponseUrl,
  parseAuthorizationRequest,
  type AuthorizationRequest,
} from "@/lib/auth/authorization-request";
import { recordEvent } from "@/lib/auth/events";
import { checkSameOrigin, clientInfo, readFormBody } from "@/lib/http";

// next.config.mjs gives every answer Referrer-Policy: same-origin, so the
// client's loopback page is not told the /authorize URL it came from.
function redirect(location: string, status = 302): Response {
  return new Response(null, { status, headers: { "Cache-Control": "no-store", Location: location } });
}

const CANNOT_USE = "This sign-in link cannot be used";

type Checked =
  | { kind: "answer"; response: Response }
  | {
      kind: "ready";
      request: AuthorizationRequest;
      user: { id: string; email: string; credentialVersion: number; sessionId: string };
    };

// What GET and POST share: the parameters, then the person's session.
async function check(request: Request, params: URLSearchParams, loginPath: string): Promise<Checked> {
  const parsed = parseAuthorizationRequest(params);
  if (parsed.kind === "refused") return { kind: "answer", response: errorPage(parsed.error, CANNOT_USE) };
  if (parsed.kind === "redirect_error")
    return {
      kind: "answer",
      response: redirect(
        authorizationResponseUrl(parsed.redirectUri, parsed.state, {
          error: parsed.error.code,
          error_description: parsed.error.description,
        }),
      ),
    };
  const current = await getRequestSession(request);
  if (current.status === "unavailable")
    return { kind: "answer", response: errorPage(DATABASE_UNAVAILABLE, "Service unavailable") };
  if (current.status !== "valid") {
    const login = new URLSearchParams({ next: loginPath });
    if (current.hadCookie) login.set("reason", current.reason);
    return { kind: "answer", response: redirect(`/login?${login}`, request.method === "POST" ? 303 : 302) };
  }
  return {
    kind: "ready",
    request: parsed.request,
    user: {
      id: current.user.id,
      email: current.user.email,
      credentialVersion: current.session.credentialVersion,
      sessionId: current.session.id,
    },
  };
}

async function sendCode(request: Request, ready: Extract<Checked, { kind: "ready" }>, status: number) {
  const { state, ...grant } = ready.request;
  const code = await issueAuthorizationCode(grant, {
    id: ready.user.id,
    credentialVersion: ready.user.credentialVersion,
  });
  await recordEvent({
    type: "code.issued",
    userId: ready.user.id,
    mechanism: "jwt",
    client: clientInfo(request.headers),
    detail: { client_id: grant.clientId, session: ready.user.sessionId },
  });
  return redirect(authorizationResponseUrl(grant.redirectUri, state, { code }), status);
}

const FETCHED: AppError = {
  code: "invalid_request",
  description: "Open this address in the browser: codes are given to page navigations.",
};

export async function authorizeRequest(request: Request): Promise<Response> {
  const url = new URL(request.url);
  // Never to a script's fetch. Next's router (16), for one, fetches a
  // redirect's target before it navigates there; refused, it navigates.
  const mode = request.headers.get("sec-fetch-mode");
  if (mode !== null && mode !== "navigate") return errorPage(FETCHED, "This sign-in link cannot be fetched");
  const checked = await check(request, url.searchParams, `${url.pathname}${url.search}`);
  if (checked.kind === "answer") return checked.response;
  const site = request.headers.get("sec-fetch-site");
  if (site === null || site === "none") return sendCode(request, checked, 302);
  return confirmationPage(checked.request, checked.user.email, url.searchParams);
}

// The person's answer to the question: a form post from this origin only.
export async function authorizeDecision(request: Request): Promise<Response> {
  const sameOrigin = checkSameOrigin(request.headers);
  if (!sameOrigin.ok) return errorPage(sameOrigin.error, CANNOT_USE);
  const form = await readFormBody(request);
  if (!form.ok) return errorPage(form.error, CANNOT_USE);
  const decision = form.value.get("decision");
  form.value.delete("decision");
  const checked = await check(request, form.value, `/authorize?${form.value}`);
  if (checked.kind === "answer") return checked.response;
  if (decision !== "allow")
    return redirect(
      authorizationResponseUrl(checked.request.redirectUri, checked.request.state, {
        error: "access_denied",
        error_description: "The person declined.",
      }),
      303,
    );
  return sendCode(request, checked, 303);
}

const CLIENT_NAMES: Record<string, string> = { cli: "the command-line client" };

function confirmationPage(grant: AuthorizationRequest, email: string, params: URLSearchParams): Response {
  const target = new URL(grant.redirectUri);
  const fields = [...params]
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join("");
  const who = CLIENT_NAMES[grant.clientId] ?? grant.clientId;
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>Sign in ${escapeHtml(who)}? · session vs jwt</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:15vh auto;padding:0 1rem;color:#18181b}@media(prefers-color-scheme:dark){body{background:#09090b;color:#e4e4e7}}button{font:inherit;padding:.4rem 1rem;margin-right:.5rem;border-radius:.375rem;border:1px solid #a1a1aa;background:transparent;color:inherit}button[value=allow]{background:#0284c7;border-color:#0284c7;color:#fff}code{font-size:.9em}</style></head>
<body><h1>Sign in ${escapeHtml(who)}?</h1>
<p>It asks for tokens for <strong data-testid="authorize-email">${escapeHtml(email)}</strong>, to be sent to <code data-testid="authorize-target">${escapeHtml(target.host)}</code> on this computer.</p>
<p>Continue only if you started this sign-in yourself, from that program.</p>
<form method="post" action="/authorize">${fields}<button name="decision" value="allow">Continue</button><button name="decision" value="deny">Cancel</button></form></body></html>`;
  return new Response(html, {
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Cache-Control": "no-store",
      // The form's redirect goes to the client's loopback origin: form-action
      // covers redirects too.
      "Content-Security-Policy": `default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'self' ${target.origin}; frame-ancestors 'none'`,
    },
  });
}
