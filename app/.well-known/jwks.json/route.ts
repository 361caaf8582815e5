import { publishedKeySet } from "@/lib/auth/keys";
import { route } from "@/lib/http";

export const dynamic = "force-dynamic";

// Current, scheduled and not-yet-expired retired public keys. Another
// service may keep this answer for max-age (JWKS_MAX_AGE): a scheduled key
// is published at least that long before it signs (lib/auth/keys.ts).
export const GET = route(async () => {
  const { keys, maxAgeSeconds } = await publishedKeySet();
  return Response.json(
    { keys: keys.map(({ publicJwk }) => publicJwk) },
    { headers: { "Cache-Control": `public, max-age=${maxAgeSeconds}` } },
  );
});
