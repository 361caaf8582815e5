import { withJwt } from "@/lib/auth/with-jwt";
import { errorResponse } from "@/lib/errors";
import { signFlawedTokens } from "@/lib/showcase/flawed-tokens";

// Three copies of the caller's own access token, signed by this issuer, each
// with one flaw (expired, wrong audience, wrong type): the token workbench
// sends them to show each claim check's own answer.
export const POST = withJwt(async (_request, _context, token) => {
  const flawed = await signFlawedTokens(token);
  if (!flawed.ok) return errorResponse(flawed.error);
  return Response.json(flawed.value, { headers: { "Cache-Control": "no-store" } });
});
