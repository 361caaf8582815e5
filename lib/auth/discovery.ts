// Authorization server metadata (RFC 8414): how another service or a client
// finds this issuer's keys and endpoints from its name alone. Every URL is
// absolute, under PUBLIC_URL, which is also every token's `iss`.
import { config } from "@/lib/config";
import { DPOP_ALGORITHMS } from "@/shared/dpop-algorithms";
import { TOKEN_ENDPOINT_PATH } from "@/lib/auth/token-endpoint";

export type AuthorizationServerMetadata = ReturnType<typeof authorizationServerMetadata>;

export function authorizationServerMetadata() {
  const { publicUrl, jwt } = config();
  const at = (path: string) => `${publicUrl}${path}`;
  return {
    issuer: jwt.issuer,
    jwks_uri: at("/.well-known/jwks.json"),
    authorization_endpoint: at("/authorize"),
    token_endpoint: at(TOKEN_ENDPOINT_PATH),
    revocation_endpoint: at("/api/auth/revoke"),
    introspection_endpoint: at("/api/auth/introspect"),
    // The code flow with PKCE (RFC 7636) for the registered clients
    // (lib/auth/clients.ts); "password" is the legacy JSON grant the
    // dashboard's one-click sign-in uses (docs/api.md), which OAuth 2.1 removes.
    grant_types_supported: ["authorization_code", "refresh_token", "password"],
    response_types_supported: ["code"],
    response_modes_supported: ["query"],
    code_challenge_methods_supported: ["S256"],
    // RFC 9207: every authorization response carries `iss`.
    authorization_response_iss_parameter_supported: true,
    // RFC 9449: tokens bound to the key of the token request's DPoP proof.
    dpop_signing_alg_values_supported: DPOP_ALGORITHMS,
    token_endpoint_auth_methods_supported: ["none"],
    revocation_endpoint_auth_methods_supported: ["none"],
    introspection_endpoint_auth_methods_supported: ["client_secret_basic"],
    // Not registered by RFC 8414: the `alg` of the access tokens (RFC 9068).
    access_token_signing_alg_values_supported: [jwt.algorithm],
    service_documentation: at("/docs"),
  };
}
