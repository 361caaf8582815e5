// The token endpoint's form requests (RFC 6749 §4.1.3 and §6, with PKCE,
// RFC 7636 §4.5): which grant, with which parameters, for which client.
// Public clients only (token_endpoint_auth_method "none"): client_id
// identifies the client (always required), and the code's verifier or the
// refresh token is what proves the request.
import type { AppError, Result } from "@/lib/errors";
import { isClientId, type ClientId } from "@/lib/auth/clients";

export type TokenRequest =
  | { grant: "authorization_code"; clientId: ClientId; code: string; redirectUri: string; codeVerifier: string }
  | { grant: "refresh_token"; clientId: ClientId; refreshToken: string };

const MAX_PARAMETER = 2048;

export function parseTokenRequest(form: URLSearchParams): Result<TokenRequest> {
  const invalid = (description: string): Result<TokenRequest> => ({
    ok: false,
    error: { code: "invalid_request", description },
  });
  // §3.2: parameters sent more than once, or without a value, are errors.
  const read = (name: string): string | null | AppError => {
    const values = form.getAll(name);
    if (values.length > 1) return { code: "invalid_request", description: `${name} was sent more than once.` };
    const value = values[0] || null;
    if (value && value.length > MAX_PARAMETER)
      return { code: "invalid_request", description: `${name} is longer than ${MAX_PARAMETER} characters.` };
    return value;
  };
  const names = ["grant_type", "client_id", "code", "redirect_uri", "code_verifier", "refresh_token"] as const;
  const values = {} as Record<(typeof names)[number], string | null>;
  for (const name of names) {
    const value = read(name);
    if (value !== null && typeof value === "object") return { ok: false, error: value };
    values[name] = value;
  }
  const clientId = values.client_id;
  if (clientId !== null && !isClientId(clientId))
    return { ok: false, error: { code: "invalid_client", description: "Unknown client_id." } };
  switch (values.grant_type) {
    case "authorization_code": {
      const { code, redirect_uri: redirectUri, code_verifier: codeVerifier } = values;
      if (!clientId || !code || !redirectUri || !codeVerifier)
        return invalid("The authorization_code grant needs client_id, code, redirect_uri and code_verifier.");
      return { ok: true, value: { grant: "authorization_code", clientId, code, redirectUri, codeVerifier } };
    }
    case "refresh_token": {
      // Required here, though RFC 6749 §6 makes it optional: the token must
      // be the presenting client's, and a browser's is refused on this path
      // (its refresh token belongs in its cookie, app/api/auth/token/route.ts).
      if (!clientId || !values.refresh_token)
        return invalid("The refresh_token grant needs client_id and refresh_token.");
      return { ok: true, value: { grant: "refresh_token", clientId, refreshToken: values.refresh_token } };
    }
    case null:
      return invalid("Send grant_type.");
    default:
      return {
        ok: false,
        error: {
          code: "unsupported_grant_type",
          description:
            "grant_type must be authorization_code or refresh_token (the password grant is JSON: docs/api.md).",
        },
      };
  }
}
