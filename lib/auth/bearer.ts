// The Authorization header of a request that presents a bearer token
// (RFC 6750 §2.1), whatever the token is: a signed JWT (lib/auth/with-jwt.ts)
// or an opaque one looked up in the store (lib/auth/opaque-bearer.ts).
import type { Result } from "@/lib/errors";

// RFC 6750 §2.1: "Bearer" (any case), spaces, then a b64token.
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;

export function parseBearer(header: string | null): Result<string> {
  if (header === null || header.trim() === "") {
    return {
      ok: false,
      error: { code: "invalid_token", description: "No access token was sent (Authorization: Bearer <token>)." },
    };
  }
  const match = BEARER.exec(header.trim());
  if (!match)
    return {
      ok: false,
      error: { code: "invalid_token", description: "The Authorization header is not of the form Bearer <token>." },
    };
  return { ok: true, value: match[1]! };
}
