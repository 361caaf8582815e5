// Every error a client can cause, as data, and the one function that turns
// them into HTTP responses. The body shape is OAuth's (RFC 6749 §5.2):
// {error, error_description}, plus `fields` for per-field validation messages.
import { ERROR_PAGE_POLICY } from "@/lib/content-security-policy";
import { DPOP_ALGORITHMS } from "@/shared/dpop-algorithms";
export type AppError =
  | { code: "invalid_request"; description: string; fields?: Record<string, string> }
  | { code: "unsupported_media_type"; description: string }
  | { code: "payload_too_large"; description: string }
  | { code: "length_required"; description: string }
  | { code: "email_taken"; description: string; fields?: Record<string, string> }
  | { code: "throttled"; description: string; retryAfterSeconds: number }
  | { code: "invalid_grant"; description: string }
  | { code: "unsupported_grant_type"; description: string }
  // RFC 6749 §5.2: a client (here: a resource server) that did not authenticate.
  | { code: "invalid_client"; description: string }
  | { code: "login_required"; description: string }
  | { code: "cross_site_request"; description: string }
  | { code: "not_found"; description: string }
  | { code: "method_not_allowed"; description: string }
  | { code: "conflict"; description: string }
  // RFC 6750 §3: a missing, malformed, expired or revoked access token.
  | { code: "invalid_token"; description: string }
  // RFC 9449 §7.1: a DPoP proof that is missing, malformed, replayed, for
  // another request, or signed by another key than the token's.
  | { code: "invalid_dpop_proof"; description: string }
  // RFC 9449 §8, §9: sign the proof again with the nonce in DPoP-Nonce.
  | { code: "use_dpop_nonce"; description: string; nonce: string }
  | { code: "temporarily_unavailable"; description: string }
  // Another service this server called on the caller's behalf did not answer.
  | { code: "bad_gateway"; description: string }
  | { code: "forbidden"; description: string };

const STATUS: Record<AppError["code"], number> = {
  invalid_request: 400,
  unsupported_media_type: 415,
  payload_too_large: 413,
  length_required: 411,
  email_taken: 409,
  throttled: 429,
  invalid_grant: 401,
  unsupported_grant_type: 400,
  invalid_client: 401,
  login_required: 401,
  cross_site_request: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  invalid_token: 401,
  invalid_dpop_proof: 401,
  use_dpop_nonce: 401,
  temporarily_unavailable: 503,
  bad_gateway: 502,
  forbidden: 403,
};

export const DEMO_CONTROLS_OFF: AppError = {
  code: "forbidden",
  description:
    "Server-wide demo switches (denylist mode, key rotation) are turned off on this server (DEMO_CONTROLS=off): they would act for every visitor.",
};

export const DATABASE_UNAVAILABLE: AppError = {
  code: "temporarily_unavailable",
  description:
    "The database is unavailable, so this request cannot be checked; it is refused. Try again in a few seconds.",
};

const REALM = "session-vs-jwt";

// Header values must stay inside their quoted string and inside what an HTTP
// header may carry (Headers.set throws on anything else, which would be a 500).
function quoted(value: string): string {
  return `"${value.replace(/[^\x20-\x7e]|["\\]/g, "'")}"`;
}

// "Too many …. Try again in N s." with the Retry-After it sets.
export function throttledError(reason: string, retryAfterSeconds: number): AppError {
  return { code: "throttled", description: `${reason} Try again in ${retryAfterSeconds} s.`, retryAfterSeconds };
}

export function errorStatus(error: AppError): number {
  return STATUS[error.code];
}

// RFC 6749 §5.2: the token endpoint's form grants answer every error 400
// (its clients are public: none authenticates, so invalid_client is an
// unknown client_id, also 400). This app's own JSON
// grants answer a refused password or refresh token 401, as its session
// sign-in does (docs/api.md).
export function tokenErrorResponse(error: AppError): Response {
  const badRequest = ["invalid_grant", "invalid_client", "invalid_dpop_proof", "use_dpop_nonce"].includes(error.code);
  return respond(error, badRequest ? 400 : errorStatus(error));
}

export function errorResponse(error: AppError, init: { headers?: HeadersInit } = {}): Response {
  return respond(error, errorStatus(error), init.headers);
}

function respond(error: AppError, status: number, init?: HeadersInit): Response {
  const headers = new Headers(init);
  headers.set("Cache-Control", "no-store");
  if (error.code === "throttled") headers.set("Retry-After", String(error.retryAfterSeconds));
  if (error.code === "temporarily_unavailable") headers.set("Retry-After", "5");
  // Only where the client authenticated with HTTP Basic (introspection):
  // on a form a browser posted, it would open the browser's password dialog.
  if (error.code === "invalid_client" && status === 401)
    headers.set("WWW-Authenticate", `Basic realm=${quoted(REALM)}`);
  // Both schemes are offered on every refusal of an access token (RFC 9449
  // §7.1); the error is told in the scheme it concerns.
  if (error.code === "use_dpop_nonce") headers.set("DPoP-Nonce", error.nonce);
  if (status === 401 && ["invalid_token", "invalid_dpop_proof", "use_dpop_nonce"].includes(error.code)) {
    const said = `error="${error.code}", error_description=${quoted(error.description)}`;
    const algs = `algs="${DPOP_ALGORITHMS.join(" ")}"`;
    headers.append(
      "WWW-Authenticate",
      `Bearer realm=${quoted(REALM)}${error.code === "invalid_token" ? `, ${said}` : ""}`,
    );
    headers.append("WWW-Authenticate", `DPoP ${algs}${error.code === "invalid_token" ? "" : `, ${said}`}`);
  }
  return Response.json(errorBody(error), { status, headers });
}

// The body of every error answer, also where a stream ends in one
// (lib/showcase/progress-stream.ts).
export function errorBody(error: AppError): Record<string, unknown> {
  const body: Record<string, unknown> = { error: error.code, error_description: error.description };
  if ("fields" in error && error.fields) body.fields = error.fields;
  return body;
}

export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

// The same errors for a browser navigating to a page: a small self-contained
// HTML page (Next has no way for a page to answer with these statuses).
export function errorPage(error: AppError, title: string): Response {
  const headers = new Headers({
    "Content-Type": "text/html; charset=utf-8",
    "Cache-Control": "no-store",
    "Content-Security-Policy": ERROR_PAGE_POLICY,
  });
  if (error.code === "temporarily_unavailable") headers.set("Retry-After", "5");
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${escapeHtml(title)} · session vs jwt</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:15vh auto;padding:0 1rem;color:#18181b}@media(prefers-color-scheme:dark){body{background:#09090b;color:#e4e4e7}}a{color:#0284c7}</style></head>
<body><h1>${escapeHtml(title)}</h1><p data-testid="error-description">${escapeHtml(error.description)}</p><p><a href="">Try again</a> · <a href="/">Home</a></p></body></html>`;
  return new Response(html, { status: errorStatus(error), headers });
}

// The one shape of everything that can fail in an expected way: returned,
// never thrown. An error is data with a stable string code and a
// description a person can read; AppError (above) is the set the API
// answers with, and modules with errors of their own (an access token's
// verification, a refresh rotation, the password policy) name theirs.
export type Failure<Code extends string = string> = { code: Code; description: string };
export type Result<T, E extends Failure = AppError> = { ok: true; value: T } | { ok: false; error: E };
