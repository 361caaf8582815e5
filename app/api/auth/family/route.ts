import { withJwt } from "@/lib/auth/bearer";
import { describeFamily } from "@/lib/auth/refresh";
import { isDenylistEnabled } from "@/lib/auth/denylist";
import { db } from "@/lib/db";

// The refresh family behind an access token, and what the server stores for
// the JWT flow, for the dashboard.
export const GET = withJwt(async (_request, _context, { claims }) => {
  const [family, revokedAccessTokens, denylist] = await Promise.all([
    describeFamily(claims.sid),
    db().revokedAccessToken.count(),
    isDenylistEnabled(),
  ]);
  return Response.json({ family, revokedAccessTokens, denylist }, { headers: { "Cache-Control": "no-store" } });
});
