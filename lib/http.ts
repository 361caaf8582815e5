// Request plumbing shared by every route handler: bounded bodies, the
// client's address and user agent, and a last-resort guard so an unexpected
// exception becomes a bare 500 without internals.
import { DATABASE_UNAVAILABLE, errorResponse, type AppError, type Result } from "@/lib/errors";
import { isDatabaseUnavailable } from "@/lib/database-errors";

export const MAX_JSON_BODY_BYTES = 16 * 1024;

function tooLarge(limit: number): AppError {
  return { code: "payload_too_large", description: `Request body must be at most ${limit} bytes.` };
}

// Reads at most `limit` bytes of a body of the one media type accepted, so a
// huge or endless body is refused early instead of being buffered whole.
async function readBodyText(
  request: Request,
  mediaType: "application/json" | "application/x-www-form-urlencoded",
  limit: number,
): Promise<Result<string>> {
  const type = request.headers.get("content-type") ?? "";
  if (type.split(";")[0]!.trim().toLowerCase() !== mediaType) {
    return { ok: false, error: { code: "unsupported_media_type", description: `Send the body as ${mediaType}.` } };
  }
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > limit) return { ok: false, error: tooLarge(limit) };
  if (!request.body) return { ok: false, error: { code: "invalid_request", description: "Request body is empty." } };

  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return { ok: false, error: tooLarge(limit) };
    }
    chunks.push(value);
  }
  try {
    return { ok: true, value: new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks)) };
  } catch {
    return { ok: false, error: { code: "invalid_request", description: "Request body is not valid UTF-8." } };
  }
}

export async function readJsonBody(request: Request, limit = MAX_JSON_BODY_BYTES): Promise<Result<unknown>> {
  const text = await readBodyText(request, "application/json", limit);
  if (!text.ok) return text;
  try {
    return { ok: true, value: JSON.parse(text.value) as unknown };
  } catch {
    return { ok: false, error: { code: "invalid_request", description: "Request body is not valid JSON." } };
  }
}

// For the one endpoint whose standard prescribes form posts (RFC 7662).
export async function readFormBody(request: Request, limit = MAX_JSON_BODY_BYTES): Promise<Result<URLSearchParams>> {
  const text = await readBodyText(request, "application/x-www-form-urlencoded", limit);
  return text.ok ? { ok: true, value: new URLSearchParams(text.value) } : text;
}

export type ClientInfo = { ip: string | null; userAgent: string | null };

const MAX_USER_AGENT = 512;

// server.ts has replaced X-Forwarded-For (and -Host, -Proto) with the one
// value it decided on from the connection and the trusted proxies
// (lib/forwarded.ts), so here the header is the client's address, whatever
// the client sent.
export function clientInfo(headers: Headers): ClientInfo {
  const ip = headers.get("x-forwarded-for")?.trim() || null;
  const userAgent = headers.get("user-agent")?.slice(0, MAX_USER_AGENT) ?? null;
  return { ip: ip?.slice(0, 64) ?? null, userAgent };
}

export function isSecureRequest(headers: Headers): boolean {
  return headers.get("x-forwarded-proto")?.split(",")[0]?.trim() === "https";
}

function requestOrigin(headers: Headers): string {
  const proto = isSecureRequest(headers) ? "https" : "http";
  return `${proto}://${headers.get("x-forwarded-host") ?? headers.get("host") ?? ""}`;
}

const CROSS_SITE: AppError = {
  code: "cross_site_request",
  description: "Cross-site requests may not change state with this site's cookies.",
};

// CSRF defence for cookie-authenticated route handlers that change state
// (OWASP CSRF Cheat Sheet, "Verifying Origin With Standard Headers" and
// "Fetch Metadata"). Browsers send Sec-Fetch-Site, or at least Origin, on
// every POST/PUT/DELETE; a request with neither did not come from a browser
// page, so no cookie was ridden. Each header that is present must say "this
// origin": Sec-Fetch-Site same-origin (or none: typed by the user), and
// Origin equal to ours. One vouching for the other is not enough.
export function checkSameOrigin(headers: Headers): Result<null> {
  const site = headers.get("sec-fetch-site");
  if (site !== null && site !== "same-origin" && site !== "none") return { ok: false, error: CROSS_SITE };
  const origin = headers.get("origin");
  if (origin !== null && origin !== requestOrigin(headers)) return { ok: false, error: CROSS_SITE };
  return { ok: true, value: null };
}

type Handler<C> = (request: Request, context: C) => Promise<Response>;

// A database outage fails closed: 503, never a request let through on a
// check that could not be made.
export function route<C>(handler: Handler<C>): Handler<C> {
  return async (request, context) => {
    try {
      return await handler(request, context);
    } catch (error) {
      if (isDatabaseUnavailable(error)) {
        return errorResponse(DATABASE_UNAVAILABLE);
      }
      console.error(`[${request.method} ${new URL(request.url).pathname}]`, error);
      return Response.json(
        { error: "server_error", error_description: "The server failed to handle this request." },
        { status: 500, headers: { "Cache-Control": "no-store" } },
      );
    }
  };
}
