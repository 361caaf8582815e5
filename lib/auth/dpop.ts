// DPoP (RFC 9449): a token bound to a key the client holds. Each request
// carries a fresh proof, a JWT signed by that key over the request's method
// and URL (and, at a resource, the access token's hash), so a copied token,
// or a copied proof, is useless to whoever copied it. The proof's own checks
// are in shared/dpop-proof.ts; this adds the replay record every instance
// shares, and this server's URL.
import { createHash } from "node:crypto";
import { config } from "@/lib/config";
import { db } from "@/lib/db";
import { isUniqueViolation } from "@/lib/database-errors";
import type { Result } from "@/lib/errors";
import { checkDpopProof, OTHER_KEY, proofRecordExpiry, type ProofContext } from "@/shared/dpop-proof";
import { currentDpopNonce, isCurrentDpopNonce } from "@/lib/auth/dpop-nonce";

// A proof refused, or one without a nonce of ours where DPOP_NONCE asks for
// one (the answer then carries a fresh nonce, RFC 9449 §8).
export type DpopRefusal =
  { code: "invalid_dpop_proof"; description: string } | { code: "use_dpop_nonce"; description: string; nonce: string };

// `path` on this server as its clients reach it.
export function publicRequestUrl(path: string): string {
  return `${config().publicUrl}${path}`;
}

// The whole check, once per request: the proof itself, its nonce when
// DPOP_NONCE asks for one, then its jti never seen before (recorded in the
// store, so every instance refuses a replay; a proof refused for its nonce
// is not recorded, so the client's retry with a nonce is a new proof anyway).
// Returns the key's thumbprint, which the token must be bound to.
// `expectedJkt`: the key the token is bound to, at a resource; a proof of
// another key is refused before anything is recorded.
export async function verifyDpopProof(
  proof: string | null,
  context: ProofContext & { expectedJkt?: string },
  now = new Date(),
): Promise<Result<{ jkt: string }, DpopRefusal>> {
  const checked = await checkDpopProof(proof, context, now);
  if (!checked.ok) return checked;
  const { jkt, jti, iat, nonce } = checked.value;
  if (context.expectedJkt !== undefined && jkt !== context.expectedJkt)
    return {
      ok: false,
      error: { code: "invalid_dpop_proof", description: OTHER_KEY },
    };
  if (config().jwt.dpopNonce && !isCurrentDpopNonce(nonce, now.getTime()))
    return {
      ok: false,
      error: {
        code: "use_dpop_nonce",
        description: "This server asks DPoP proofs for a nonce: sign again with the one in DPoP-Nonce.",
        nonce: currentDpopNonce(now.getTime()),
      },
    };
  if (!(await takeProof(jkt, jti, iat)))
    return { ok: false, error: { code: "invalid_dpop_proof", description: "This DPoP proof was used before." } };
  return { ok: true, value: { jkt } };
}

// True the first time a (key, jti) is seen while the proof could still be
// accepted. One insert: the primary key refuses the second, on any instance.
async function takeProof(jkt: string, jti: string, iat: number): Promise<boolean> {
  const key = createHash("sha256").update(`${jkt}\u0000${jti}`).digest("hex");
  try {
    await db().dpopProof.create({ data: { key, expiresAt: proofRecordExpiry(iat) } });
    return true;
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}
