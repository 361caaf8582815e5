// Reading a JWT in the page, for display only: the page never trusts what it
// decodes; the server's verification is the only check that counts.
export type DecodedJwt = {
  header: JsonObject;
  payload: JsonObject;
  parts: [string, string, string];
};

export type JsonObject = Record<string, unknown>;

export const isJsonObject = (value: unknown): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value);

// A base64url part as JSON, or null when it is not a JSON object.
export function decodePart(part: string): JsonObject | null {
  try {
    const base64 = part.replace(/-/g, "+").replace(/_/g, "/");
    const bytes = Uint8Array.from(atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4)), (c) => c.charCodeAt(0));
    const value: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return isJsonObject(value) ? value : null;
  } catch {
    return null;
  }
}

export function encodePart(value: unknown): string {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  // Byte by byte: spreading a pasted megabyte into one call overflows the stack.
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function decodeJwt(token: string): DecodedJwt | null {
  const parts = token.split(".");
  if (parts.length !== 3) return null;
  const header = decodePart(parts[0]!);
  const payload = decodePart(parts[1]!);
  return header && payload ? { header, payload, parts: parts as [string, string, string] } : null;
}

export const HEADER_NOTES: Record<string, string> = {
  alg: "Signature algorithm. The server accepts only ES256/EdDSA, and only with the key the kid names.",
  typ: "at+jwt marks an access token (RFC 9068), so an ID token or other JWT cannot be passed off as one.",
  kid: "Which of the server's keys (see /.well-known/jwks.json) signed it.",
};

export const CLAIM_NOTES: Record<string, string> = {
  iss: "Issuer: who made the token. Must match exactly.",
  aud: "Audience: the API the token is for. Must match exactly.",
  sub: "Subject: the user's id.",
  iat: "Issued at.",
  exp: "Expires. After this the token is refused — and until then, even if revoked (unless denylist mode is on).",
  nbf: "Not valid before.",
  jti: "This token's unique id: what the denylist records on revocation.",
  client_id: "The client that asked for it (browser: refresh token kept in an HttpOnly cookie).",
  sid: "The refresh-token family this token came from.",
  email: "Copied in at sign-in, so the API answers without a database lookup.",
};
