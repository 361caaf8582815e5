// This service's record of DPoP proofs it has accepted (RFC 9449 §11.1), in
// its own memory: it has no database, by design. So a proof is refused the
// second time *here*; another instance of this service (behind a balancer)
// has its own record and would accept the same proof once more, within the
// proof's window. That is the price of a stateless resource server: keep
// its instances few, route a client to one of them, or give them a shared
// record (the app itself keeps its record in its database, shared by every
// instance). The access token's binding still holds everywhere: a proof
// only works for the token, method and URL it was made for.
//
// Bounded two ways, so that no client can crowd out the others: proofs are
// kept in buckets by the second they expire (a whole bucket is dropped when
// its second has passed, no sweep over everything), and one key may have at
// most PER_KEY proofs on record at once (an honest client makes a few per
// second; a key that makes more is refused until its older ones expire).
const PER_KEY = 1_000;

export function createReplayRecord() {
  const buckets = new Map<number, Set<string>>();
  const perKey = new Map<string, number>();
  const keyOf = (entry: string) => entry.slice(0, entry.indexOf(" "));

  function dropExpired(nowSecond: number) {
    for (const [second, entries] of buckets) {
      if (second > nowSecond) continue;
      for (const entry of entries) {
        const jkt = keyOf(entry);
        const left = (perKey.get(jkt) ?? 1) - 1;
        if (left > 0) perKey.set(jkt, left);
        else perKey.delete(jkt);
      }
      buckets.delete(second);
    }
  }

  return {
    // True the first time (key, jti) is seen before `expiresAt`; false for a
    // copy, or when the key already has PER_KEY proofs on record.
    take(jkt: string, jti: string, expiresAt: Date, now = Date.now()): boolean {
      dropExpired(Math.floor(now / 1000));
      const entry = `${jkt} ${jti}`;
      for (const entries of buckets.values()) if (entries.has(entry)) return false;
      if ((perKey.get(jkt) ?? 0) >= PER_KEY) return false;
      const second = Math.ceil(expiresAt.getTime() / 1000);
      let bucket = buckets.get(second);
      if (!bucket) buckets.set(second, (bucket = new Set()));
      bucket.add(entry);
      perKey.set(jkt, (perKey.get(jkt) ?? 0) + 1);
      return true;
    },
  };
}
