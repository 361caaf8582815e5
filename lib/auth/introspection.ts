// Token introspection (RFC 7662): a resource server that must not accept a
// revoked token until it expires asks here, with its own client credentials,
// whether an access token is good right now. The answer reflects revocation
// at once, whatever denylist mode says: the token's jti denylisted, or its
// refresh family ended (sign-out everywhere, reuse detected, revocation).
// Refresh tokens are for the client and the token endpoint only, so a
// resource server is never told anything about one.
import { createHash, timingSafeEqual } from "node:crypto";
import { config } from "@/lib/config";
import type { Result } from "@/lib/errors";
import { verifySignedAccessToken } from "@/lib/auth/jwt";
import { findAccessTokenRevocation } from "@/lib/auth/denylist";

export type Introspection =
  | { active: false }
  | {
      active: true;
      // "DPoP" with cnf for a token bound to a key (RFC 9449 §6.2): the
      // resource server must then ask for a proof of that key.
      token_type: "Bearer" | "DPoP";
      cnf?: { jkt: string };
      iss: string;
      aud: string | string[];
      sub: string;
      username: string;
      client_id: string;
      jti: string;
      sid: string;
      iat: number;
      exp: number;
    };

const digest = (value: string) => createHash("sha256").update(value).digest();

// RFC 6749 §2.3.1: Basic with the id and secret form-encoded. Compared as
// digests, in constant time; an unknown id costs the same as a wrong secret.
export function authenticateIntrospectionClient(authorization: string | null): Result<string> {
  const refused: Result<string> = {
    ok: false,
    error: {
      code: "invalid_client",
      description: "Introspection needs this service's own client credentials (HTTP Basic).",
    },
  };
  const match = /^Basic +([A-Za-z0-9+/]+=*)$/i.exec(authorization?.trim() ?? "");
  if (!match) return refused;
  const decoded = Buffer.from(match[1]!, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 1) return refused;
  let id: string;
  let secret: string;
  try {
    id = decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, " "));
    secret = decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, " "));
  } catch {
    return refused;
  }
  const clients = config().secrets.introspectionClients;
  const expected = Object.hasOwn(clients, id) ? clients[id]! : "";
  const matches = timingSafeEqual(digest(secret), digest(expected));
  return matches && expected !== "" ? { ok: true, value: id } : refused;
}

export async function introspectToken(token: string): Promise<Introspection> {
  // One revocation query, whatever denylist mode says.
  const verified = await verifySignedAccessToken(token);
  if (!verified.ok) return { active: false };
  const { claims } = verified.value;
  if ((await findAccessTokenRevocation(claims)) !== null) return { active: false };
  return {
    active: true,
    token_type: claims.cnf ? "DPoP" : "Bearer",
    ...(claims.cnf && { cnf: { jkt: claims.cnf.jkt } }),
    iss: claims.iss,
    aud: claims.aud,
    sub: claims.sub,
    username: claims.email,
    client_id: claims.client_id,
    jti: claims.jti,
    sid: claims.sid,
    iat: claims.iat,
    exp: claims.exp,
  };
}
