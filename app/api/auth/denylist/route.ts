import { z } from "zod";
import { withJwt } from "@/lib/auth/bearer";
import { isDenylistEnabled, setDenylistEnabled } from "@/lib/auth/denylist";
import { config } from "@/lib/config";
import { DEMO_CONTROLS_OFF, errorResponse } from "@/lib/errors";
import { readJsonBody } from "@/lib/http";

const Shape = z.object({ enabled: z.boolean() });

export const GET = withJwt(async () => Response.json({ enabled: await isDenylistEnabled() }, { headers: { "Cache-Control": "no-store" } }));

// Switches denylist mode for every instance (within two seconds), when
// DEMO_CONTROLS allows. Bearer authentication cannot be ridden cross-site, so
// no Origin check is needed.
export const PUT = withJwt(async (request) => {
  if (!config().demoControls) return errorResponse(DEMO_CONTROLS_OFF);
  const body = await readJsonBody(request);
  if (!body.ok) return errorResponse(body.error);
  const shape = Shape.safeParse(body.value);
  if (!shape.success) return errorResponse({ code: "invalid_request", description: "Send {\"enabled\": true|false}." });
  await setDenylistEnabled(shape.data.enabled);
  return Response.json({ enabled: shape.data.enabled }, { headers: { "Cache-Control": "no-store" } });
});
