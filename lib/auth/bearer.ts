// The Authorization header of a request that presents an access token:
// `Bearer` (RFC 6750 §2.1), or `DPoP` for a token bound to a key (RFC 9449
// §7.1), whatever the token is: a signed JWT (lib/auth/with-jwt.ts) or an
// opaque one looked up in the store (lib/auth/opaque-bearer.ts).
import type { Result } from "@/lib/errors";
import { ACCESS_TOKEN_AUTHORIZATION } from "@/shared/dpop-proof";

export type PresentedToken = { scheme: "Bearer" | "DPoP"; token: string };

export function parseAccessTokenHeader(header: string | null): Result<PresentedToken> {
  if (header === null || header.trim() === "") {
    return {
      ok: false,
      error: { code: "invalid_token", description: "No access token was sent (Authorization: Bearer <token>)." },
    };
  }
  const match = ACCESS_TOKEN_AUTHORIZATION.exec(header.trim());
  if (!match)
    return {
      ok: false,
      error: {
        code: "invalid_token",
        description: "The Authorization header is not of the form Bearer <token> (or DPoP <token>).",
      },
    };
  return { ok: true, value: { scheme: match[1]!.toLowerCase() === "dpop" ? "DPoP" : "Bearer", token: match[2]! } };
}

// Where only bearer tokens are taken (the strategies lab's designs).
export function parseBearer(header: string | null): Result<string> {
  const presented = parseAccessTokenHeader(header);
  if (!presented.ok) return presented;
  if (presented.value.scheme !== "Bearer")
    return {
      ok: false,
      error: { code: "invalid_token", description: "The Authorization header is not of the form Bearer <token>." },
    };
  return { ok: true, value: presented.value.token };
}
