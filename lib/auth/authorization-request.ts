// The authorization endpoint's request (RFC 6749 §4.1.1 as OAuth 2.1
// profiles it: code only, PKCE S256 required) and its answers. Whether the
// redirect URI can be trusted decides how an error is told: to the person
// in the browser if it cannot (§4.1.2.1: never redirect to a URI that is
// not registered), to the client through the redirect if it can.
import { config } from "@/lib/config";
import type { AppError } from "@/lib/errors";
import { redirectUriAllowed } from "@/lib/auth/clients";
import type { CodeGrant } from "@/lib/auth/authorization-code";
import { isCodeChallenge } from "@/lib/auth/pkce";

export type AuthorizationRequest = CodeGrant & { state: string | null };

// §4.1.2.1's codes that this endpoint uses.
export type AuthorizationErrorCode = "invalid_request" | "unsupported_response_type" | "access_denied";

export type ParsedAuthorizationRequest =
  | { kind: "valid"; request: AuthorizationRequest }
  // The client or its redirect URI is not known: tell the person, redirect nowhere.
  | { kind: "refused"; error: AppError }
  | {
      kind: "redirect_error";
      redirectUri: string;
      state: string | null;
      error: { code: AuthorizationErrorCode; description: string };
    };

const MAX_STATE = 512;
// RFC 9449 §10: the base64url SHA-256 thumbprint of the key (43 characters).
const JKT = /^[A-Za-z0-9\-_]{43}$/;

// §3.1: a parameter sent more than once is an error; one sent empty is
// treated as absent.
function single(params: URLSearchParams, name: string): { value: string | null; repeated: boolean } {
  const values = params.getAll(name);
  return { value: values[0] || null, repeated: values.length > 1 };
}

export function parseAuthorizationRequest(params: URLSearchParams): ParsedAuthorizationRequest {
  const clientId = single(params, "client_id");
  const redirectUri = single(params, "redirect_uri");
  if (clientId.repeated || redirectUri.repeated || !clientId.value || !redirectUri.value)
    return {
      kind: "refused",
      error: { code: "invalid_request", description: "Send exactly one client_id and one redirect_uri." },
    };
  if (!redirectUriAllowed(clientId.value, redirectUri.value))
    return {
      kind: "refused",
      error: {
        code: "invalid_request",
        description: "This client is not registered here, or may not receive a code at that redirect URI.",
      },
    };
  const state = single(params, "state");
  const fail = (code: AuthorizationErrorCode, description: string): ParsedAuthorizationRequest => ({
    kind: "redirect_error",
    redirectUri: redirectUri.value!,
    state: state.repeated ? null : state.value,
    error: { code, description },
  });
  const responseType = single(params, "response_type");
  const challenge = single(params, "code_challenge");
  const method = single(params, "code_challenge_method");
  const jkt = single(params, "dpop_jkt");
  for (const [name, param] of Object.entries({
    state,
    response_type: responseType,
    code_challenge: challenge,
    code_challenge_method: method,
    dpop_jkt: jkt,
  }))
    if (param.repeated) return fail("invalid_request", `${name} was sent more than once.`);
  if (!responseType.value) return fail("invalid_request", "Send response_type=code.");
  if (responseType.value !== "code") return fail("unsupported_response_type", "Only response_type=code is supported.");
  if (!challenge.value || method.value !== "S256" || !isCodeChallenge(challenge.value))
    return fail(
      "invalid_request",
      "PKCE is required: send code_challenge (43 characters) with code_challenge_method=S256.",
    );
  if (state.value && state.value.length > MAX_STATE)
    return fail("invalid_request", `state must be at most ${MAX_STATE} characters.`);
  if (jkt.value && !JKT.test(jkt.value))
    return fail("invalid_request", "dpop_jkt must be a JWK SHA-256 thumbprint (RFC 7638), base64url.");
  return {
    kind: "valid",
    request: {
      clientId: clientId.value,
      redirectUri: redirectUri.value,
      codeChallenge: challenge.value,
      dpopJkt: jkt.value,
      state: state.value,
    },
  };
}

// The redirect back to the client, success or error, with `state` as it was
// sent and `iss` (RFC 9207), which tells a client talking to several
// servers which one answered.
export function authorizationResponseUrl(
  redirectUri: string,
  state: string | null,
  answer: { code: string } | { error: AuthorizationErrorCode; error_description: string },
): string {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(answer)) url.searchParams.set(name, value);
  if (state !== null) url.searchParams.set("state", state);
  url.searchParams.set("iss", config().jwt.issuer);
  return url.href;
}
