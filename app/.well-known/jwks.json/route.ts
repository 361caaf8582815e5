import { publishedKeys } from "@/lib/auth/keys";
import { config } from "@/lib/config";
import { route } from "@/lib/http";

export const dynamic = "force-dynamic";

// Current, scheduled and not-yet-expired retired public keys. Another
// service may keep this answer for max-age (JWKS_MAX_AGE): a scheduled key
// is published at least that long before it signs (lib/auth/keys.ts).
export const GET = route(async () => {
  const keys = await publishedKeys();
  const maxAge = Math.floor(config().jwt.jwksMaxAgeMs / 1000);
  return Response.json(
    { keys: keys.map(({ publicJwk }) => publicJwk) },
    { headers: { "Cache-Control": `public, max-age=${maxAge}` } },
  );
});
