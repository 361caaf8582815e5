import { z } from "zod";
import { withJwt } from "@/lib/auth/with-jwt";
import { isDenylistEnabled, setDenylistEnabled } from "@/lib/auth/denylist";
import { useServerSwitch } from "@/lib/showcase/demo-controls";
import { errorResponse } from "@/lib/errors";
import { clientInfo, readJsonBody } from "@/lib/http";

const Shape = z.object({ enabled: z.boolean() });

export const GET = withJwt(async () =>
  Response.json({ enabled: await isDenylistEnabled() }, { headers: { "Cache-Control": "no-store" } }),
);

// Switches denylist mode for every instance (within two seconds), when
// DEMO_CONTROLS allows, and not too often per visitor. Bearer authentication
// cannot be ridden cross-site, so no Origin check is needed.
export const PUT = withJwt(async (request, _context, { claims }) => {
  const allowed = await useServerSwitch({
    user: { email: claims.email },
    key: `family:${claims.sid}`,
    ip: clientInfo(request.headers).ip,
  });
  if (!allowed.ok) return errorResponse(allowed.error);
  const body = await readJsonBody(request);
  if (!body.ok) return errorResponse(body.error);
  const shape = Shape.safeParse(body.value);
  if (!shape.success) return errorResponse({ code: "invalid_request", description: 'Send {"enabled": true|false}.' });
  await setDenylistEnabled(shape.data.enabled);
  return Response.json({ enabled: shape.data.enabled }, { headers: { "Cache-Control": "no-store" } });
});
