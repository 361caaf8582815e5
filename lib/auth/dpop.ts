// DPoP (RFC 9449): a token bound to a key the client holds. Each request
// carries a fresh proof, a JWT signed by that key over the request's method
// and URL (and, at a resource, the access token's hash), so a copied token,
// or a copied proof, is useless to whoever copied it. The proof's own checks
// are in lib/auth/dpop-proof.ts; this adds the replay record every instance
// shares, and this server's URL.
import { createHash } from "node:crypto";
import { config } from "@/lib/config";
import { db } from "@/lib/db";
import { isUniqueViolation } from "@/lib/database-errors";
import type { Result } from "@/lib/errors";
import { checkDpopProof, proofRecordExpiry, type DpopError, type ProofContext } from "@/shared/dpop-proof";

// `path` on this server as its clients reach it.
export function publicRequestUrl(path: string): string {
  return `${config().publicUrl}${path}`;
}

// The whole check, once per request: the proof itself, then its jti never
// seen before (recorded in the store, so every instance refuses a replay).
// Returns the key's thumbprint, which the token must be bound to.
export async function verifyDpopProof(
  proof: string | null,
  context: ProofContext,
  now = new Date(),
): Promise<Result<{ jkt: string }, DpopError>> {
  const checked = await checkDpopProof(proof, context, now);
  if (!checked.ok) return checked;
  const { jkt, jti, iat } = checked.value;
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
