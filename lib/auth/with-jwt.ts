// Access-token plumbing for route handlers: parse the Authorization header
// (Bearer, RFC 6750; or DPoP, RFC 9449), verify, and protect a handler in
// one line.
import { clientInfo, route } from "@/lib/http";
import { serverTiming } from "@/lib/server-timing";
import { errorResponse, type AppError } from "@/lib/errors";
import { parseAccessTokenHeader, type PresentedToken } from "@/lib/auth/bearer";
import { verifyAccessToken, wasVerifiedBefore, type VerifiedToken } from "@/lib/auth/jwt";
import { publicRequestUrl, verifyDpopProof } from "@/lib/auth/dpop";
import { schemeMismatch } from "@/shared/dpop-proof";
import { recordEventAtMostEvery } from "@/lib/auth/events";

export type JwtAuth = VerifiedToken & { checkMs: number };
type JwtHandler<C> = (request: Request, context: C, auth: JwtAuth) => Promise<Response>;

// A token bound to a DPoP key is accepted only as `DPoP`, with a fresh proof
// for this request and this token, signed by that key; an unbound one only
// as `Bearer` (RFC 9449 §7.1, §7.2). So a copied bound token, or a copied
// proof, is refused.
async function checkBinding(
  request: Request,
  presented: PresentedToken,
  verified: VerifiedToken,
): Promise<AppError | null> {
  const jkt = verified.claims.cnf?.jkt;
  const mismatch = schemeMismatch(presented.scheme, jkt);
  if (mismatch) return { code: "invalid_token", description: mismatch };
  if (!jkt) return null;
  const proof = await verifyDpopProof(request.headers.get("dpop"), {
    method: request.method,
    url: publicRequestUrl(new URL(request.url).pathname),
    accessToken: presented.token,
    expectedJkt: jkt,
  });
  return proof.ok ? null : proof.error;
}

// Every answer carries Server-Timing `auth;desc="jwt, <kind>"`. Rejections are
// logged at most once a minute per address and reason.
export function withJwt<C>(handler: JwtHandler<C>) {
  return route<C>(async (request, context) => {
    const started = performance.now();
    const presented = parseAccessTokenHeader(request.headers.get("authorization"));
    const kind = !presented.ok ? "none" : wasVerifiedBefore(presented.value.token) ? "seen before" : "first sight";
    const timing = () => serverTiming("jwt", performance.now() - started, kind);
    const refuse = async (error: AppError, reason: string) => {
      const client = clientInfo(request.headers);
      await recordEventAtMostEvery(`token.invalid:${client.ip}:${reason}`, 60_000, {
        type: "token.invalid",
        mechanism: "jwt",
        client,
        detail: { reason },
      });
      return errorResponse(error, { headers: { "Server-Timing": timing() } });
    };
    if (!presented.ok) return errorResponse(presented.error, { headers: { "Server-Timing": timing() } });
    const verified = await verifyAccessToken(presented.value.token);
    if (!verified.ok)
      return refuse({ code: "invalid_token", description: verified.error.description }, verified.error.code);
    const unbound = await checkBinding(request, presented.value, verified.value);
    if (unbound) return refuse(unbound, unbound.code);
    const response = await handler(request, context, { ...verified.value, checkMs: performance.now() - started });
    response.headers.append("Server-Timing", timing());
    return response;
  });
}
