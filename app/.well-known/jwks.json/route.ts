import { publishedKeys } from "@/lib/auth/keys";
import { route } from "@/lib/http";

export const dynamic = "force-dynamic";

// Current and not-yet-retired public keys. Cached briefly: a rotated-in key
// must reach verifiers before tokens signed with it do.
export const GET = route(async () => {
  const keys = await publishedKeys();
  return Response.json(
    { keys: keys.map(({ publicJwk }) => publicJwk) },
    { headers: { "Cache-Control": "public, max-age=60" } },
  );
});
