// This service's record of DPoP proofs it has accepted (RFC 9449 §11.1), in
// its own memory: it has no database, by design. So a proof is refused the
// second time *here*; another instance of this service (behind a balancer)
// has its own record and would accept the same proof once more, within the
// proof's 60 s. That is the price of a stateless resource server: keep
// its instances few, route a client to one of them, or give them a shared
// record (the app itself keeps its record in its database, shared by every
// instance). The access token's binding still holds everywhere: a proof
// only works for the token, method and URL it was made for.
const MAX_ENTRIES = 100_000;

export function createReplayRecord() {
  const seen = new Map<string, number>();
  return {
    // True the first time (key, jti) is seen before `expiresAt`.
    take(jkt: string, jti: string, expiresAt: Date, now = Date.now()): boolean {
      const key = `${jkt} ${jti}`;
      const until = seen.get(key);
      if (until !== undefined && until > now) return false;
      if (seen.size >= MAX_ENTRIES) {
        for (const [old, expiry] of seen) if (expiry <= now) seen.delete(old);
        // Still full of live proofs: refuse rather than forget one.
        if (seen.size >= MAX_ENTRIES) return false;
      }
      seen.set(key, expiresAt.getTime());
      return true;
    },
  };
}
