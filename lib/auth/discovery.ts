// Authorization server metadata (RFC 8414): how another service or a client
// finds this issuer's keys and endpoints from its name alone. Every URL is
// absolute, under PUBLIC_URL, which is also every token's `iss`.
import { config } from "@/lib/config";

export type AuthorizationServerMetadata = ReturnType<typeof authorizationServerMetadata>;

export function authorizationServerMetadata() {
  const { publicUrl, jwt } = config();
  const at = (path: string) => `${publicUrl}${path}`;
  return {
    issuer: jwt.issuer,
    jwks_uri: at("/.well-known/jwks.json"),
    token_endpoint: at("/api/auth/token"),
    revocation_endpoint: at("/api/auth/revoke"),
    introspection_endpoint: at("/api/auth/introspect"),
    // The endpoints take JSON bodies (docs/api.md), not RFC 6749 form posts.
    grant_types_supported: ["password", "refresh_token"],
    // No authorization endpoint: nothing is issued from a redirect.
    response_types_supported: [] as string[],
    token_endpoint_auth_methods_supported: ["none"],
    revocation_endpoint_auth_methods_supported: ["none"],
    introspection_endpoint_auth_methods_supported: ["client_secret_basic"],
    // Not registered by RFC 8414: the `alg` of the access tokens (RFC 9068).
    access_token_signing_alg_values_supported: [jwt.algorithm],
    service_documentation: at("/docs"),
  };
}
