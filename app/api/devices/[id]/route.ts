import { endDevice } from "@/lib/auth/sign-out";
import { withSessionOrBearer } from "@/lib/auth/with-account";
import { errorResponse } from "@/lib/errors";
import { clientInfo } from "@/lib/http";
import { hidesDevice } from "@/lib/showcase/demo";

const NOT_FOUND = { code: "not_found", description: "No such device among yours." } as const;

// End one device of my account: a session (refused at its next request) or
// a token client (its refresh token at once; its access token at once in
// denylist mode, otherwise at `access_token_valid_until`).
export const DELETE = withSessionOrBearer<{ params: Promise<{ id: string }> }>(
  async (request, { params }, { user, device }) => {
    const { id } = await params;
    if (hidesDevice(user.email, id, device.id)) return errorResponse(NOT_FOUND);
    const currentSession = device.kind === "session" ? device.id : null;
    const ended = await endDevice(user.id, currentSession, id, clientInfo(request.headers));
    if (!ended) return errorResponse(NOT_FOUND);
    return Response.json({ ended }, { headers: { "Cache-Control": "no-store" } });
  },
  { changesState: true },
);
