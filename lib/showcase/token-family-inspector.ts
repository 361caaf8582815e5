// For the dashboard: the refresh family behind an access token, and what the
// server stores for the JWT flow (refresh-token rows, denylisted ids).
import "server-only";
import { countDenylistedTokens, isDenylistEnabled } from "@/lib/auth/denylist";
import { describeFamily } from "@/lib/auth/refresh";

export async function inspectTokenFamily(familyId: string) {
  const [family, revokedAccessTokens, denylist] = await Promise.all([
    describeFamily(familyId),
    countDenylistedTokens(),
    isDenylistEnabled(),
  ]);
  return { family, revokedAccessTokens, denylist };
}

export type TokenFamilyInspection = Awaited<ReturnType<typeof inspectTokenFamily>>;
