import { withJwt } from "@/lib/auth/with-jwt";
import { inspectTokenFamily } from "@/lib/showcase/token-family-inspector";

// The refresh family behind an access token, for the dashboard.
export const GET = withJwt(async (_request, _context, { claims }) =>
  Response.json(await inspectTokenFamily(claims.sid), { headers: { "Cache-Control": "no-store" } }),
);
