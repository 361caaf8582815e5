import { authorizeDecision, authorizeRequest } from "@/lib/auth/authorize";
import { route } from "@/lib/http";

// The authorization endpoint (RFC 6749 §4.1.1, PKCE required): the signed-in
// person's session becomes a one-time code for a registered client
// (docs/jwt-flow.md, "Code and PKCE").
export const GET = route(authorizeRequest);

// The person's answer when the request came from a page (lib/auth/authorize.ts).
export const POST = route(authorizeDecision);
