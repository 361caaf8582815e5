import { signOutEverywhere } from "@/lib/auth/sign-out";
import { withSessionOrBearer } from "@/lib/auth/with-account";
import { errorResponse } from "@/lib/errors";
import { clientInfo } from "@/lib/http";
import { listVisibleDevices, refuseOnSharedDemoAccount } from "@/lib/showcase/demo";

const NO_STORE = { "Cache-Control": "no-store" };

// Every device of my account (browser sessions and token clients), the
// caller's marked; on the shared demo account, only the caller's.
export const GET = withSessionOrBearer(
  async (_request, _context, { user, device }) => {
    const { devices, hidden, ended } = await listVisibleDevices(user, device);
    return Response.json({ devices, hidden, ended_still_working: ended }, { headers: NO_STORE });
  },
  { changesState: false },
);

// Every device, the caller's included.
export const DELETE = withSessionOrBearer(
  async (request, _context, { user }) => {
    const refused = refuseOnSharedDemoAccount(user.email);
    if (refused) return errorResponse(refused);
    const { sessions, families } = await signOutEverywhere(user.id, clientInfo(request.headers));
    return Response.json({ ended_sessions: sessions, ended_token_devices: families }, { headers: NO_STORE });
  },
  { changesState: true },
);
