import { authorizationServerMetadata } from "@/lib/auth/discovery";
import { route } from "@/lib/http";

export const dynamic = "force-dynamic";

export const GET = route(async () =>
  Response.json(authorizationServerMetadata(), { headers: { "Cache-Control": "public, max-age=300" } }),
);
