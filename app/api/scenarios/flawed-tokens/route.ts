import { withJwt } from "@/lib/auth/with-jwt";
import { signFlawedTokens } from "@/lib/showcase/flawed-tokens";

// Three copies of the caller's own access token, signed by this issuer, each
// with one flaw (expired, wrong audience, wrong type): the token workbench
// sends them to show each claim check's own answer.
export const POST = withJwt(async (_request, _context, { claims }) =>
  Response.json(await signFlawedTokens(claims), { headers: { "Cache-Control": "no-store" } }),
);
