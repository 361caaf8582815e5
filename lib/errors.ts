// Every error a client can cause, as data, and the one function that turns
// them into HTTP responses. The body shape is OAuth's (RFC 6749 §5.2):
// {error, error_description}, plus `fields` for per-field validation messages.
export type AppError =
  | { code: "invalid_request"; description: string; fields?: Record<string, string> }
  | { code: "unsupported_media_type"; description: string }
  | { code: "payload_too_large"; description: string }
  | { code: "email_taken"; description: string; fields?: Record<string, string> }
  | { code: "throttled"; description: string; retryAfterSeconds: number }
  | { code: "invalid_grant"; description: string }
  | { code: "login_required"; description: string }
  | { code: "cross_site_request"; description: string }
  | { code: "not_found"; description: string }
  // RFC 6750 §3: a missing, malformed, expired or revoked access token.
  | { code: "invalid_token"; description: string }
  | { code: "temporarily_unavailable"; description: string }
  | { code: "forbidden"; description: string };

const STATUS: Record<AppError["code"], number> = {
  invalid_request: 400,
  unsupported_media_type: 415,
  payload_too_large: 413,
  email_taken: 409,
  throttled: 429,
  invalid_grant: 401,
  login_required: 401,
  cross_site_request: 403,
  not_found: 404,
  invalid_token: 401,
  temporarily_unavailable: 503,
  forbidden: 403,
};

export const DEMO_CONTROLS_OFF: AppError = {
  code: "forbidden",
  description: "Server-wide demo switches are turned off on this server (DEMO_CONTROLS=off).",
};

const REALM = "session-vs-jwt";

// Header values must stay inside their quoted string and inside what an HTTP
// header may carry (Headers.set throws on anything else, which would be a 500).
function quoted(value: string): string {
  return `"${value.replace(/[^\x20-\x7e]|["\\]/g, "'")}"`;
}

export function errorStatus(error: AppError): number {
  return STATUS[error.code];
}

export function errorResponse(error: AppError, init: { headers?: HeadersInit } = {}): Response {
  const headers = new Headers(init.headers);
  headers.set("Cache-Control", "no-store");
  if (error.code === "throttled") headers.set("Retry-After", String(error.retryAfterSeconds));
  if (error.code === "temporarily_unavailable") headers.set("Retry-After", "5");
  if (error.code === "invalid_token") {
    headers.set("WWW-Authenticate", `Bearer realm=${quoted(REALM)}, error="invalid_token", error_description=${quoted(error.description)}`);
  }
  const body: Record<string, unknown> = { error: error.code, error_description: error.description };
  if ("fields" in error && error.fields) body.fields = error.fields;
  return Response.json(body, { status: errorStatus(error), headers });
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError };
