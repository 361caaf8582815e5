// The client's side of the code flow, as the tests play it: a PKCE pair
// (RFC 7636) and the /authorize address for the command-line client.
import { createHash, randomBytes } from "node:crypto";

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

// `/authorize?…` for the `cli` client with S256; `extra` adds parameters
// (state, dpop_jkt) or overrides them.
export function authorizePath(redirectUri: string, challenge: string, extra: Record<string, string> = {}): string {
  const query = new URLSearchParams({
    response_type: "code",
    client_id: "cli",
    redirect_uri: redirectUri,
    code_challenge: challenge,
    code_challenge_method: "S256",
    ...extra,
  });
  return `/authorize?${query}`;
}
