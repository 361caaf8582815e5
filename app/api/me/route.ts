import { withJwt } from "@/lib/auth/bearer";

// Who the access token says you are: from its claims alone, no lookup.
export const GET = withJwt(async (_request, _context, { claims, kid }) =>
  Response.json(
    {
      id: claims.sub,
      email: claims.email,
      client_id: claims.client_id,
      token: { jti: claims.jti, kid, exp: claims.exp },
    },
    { headers: { "Cache-Control": "no-store" } },
  ),
);
