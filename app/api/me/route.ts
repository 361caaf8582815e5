import { describeTokenHolder } from "@/lib/auth/jwt";
import { withJwt } from "@/lib/auth/with-jwt";

// Who the access token says you are: from its claims alone, no lookup.
export const GET = withJwt(async (_request, _context, auth) =>
  Response.json(describeTokenHolder(auth), { headers: { "Cache-Control": "no-store" } }),
);
