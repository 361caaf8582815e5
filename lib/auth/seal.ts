// Small values sealed with iron-session (the "Fe26.2" format: AES-256-CBC
// then HMAC-SHA-256, keys derived from a password by PBKDF2, an expiry
// inside the seal), under the server's session passwords (several, by id,
// for rotation). One seal format per purpose: each says what it holds and
// checks the shape of what it unseals, so a value sealed for one purpose
// is never accepted as another (a session cookie is not a cache cookie).
import { sealData, unsealData } from "iron-session";
import { config } from "@/lib/config";
import { LruCache } from "@/lib/lru";

export type Passwords = Record<string, string>;

export type SealFormat<T> = {
  seal(value: T, passwords?: Passwords): Promise<string>;
  // What this sealed value opened to before, while its seal is unexpired;
  // null if it must be unsealed. Synchronous, so a request whose credential
  // was seen before does not wait a turn for it.
  unsealedBefore(sealed: string, passwords?: Passwords): T | null;
  // Any failure (tampered, truncated, sealed with an unknown password,
  // expired, not a seal, not this format's shape) is null, never an error.
  unseal(sealed: string, passwords?: Passwords): Promise<T | null>;
};

// Unsealing derives two keys with PBKDF2 and checks an HMAC: the larger part
// of checking a sealed credential. A value that unsealed once is
// remembered, per password set and until the seal's own expiry: the same
// bytes unseal to the same value, and only values that passed the HMAC
// check get in, so a forged one still pays the full price and changes
// nothing here. Only the exact form iron-session writes is remembered:
// iron-session also accepts trailing junk after "~2", which would let one
// valid value fill the cache under endless spellings. iron's fields are
// Fe26.2*<password id>*<salt>*<iv>*<ciphertext>*<expiration>*<hmac salt>*<hmac>;
// the expiration (ms since 1970) bounds how long the value is remembered.
const CANONICAL_SEAL = /^Fe26\.2(?:\*[\w-]*){4}\*(\d+)(?:\*[\w-]*){2}~2$/;
const REMEMBERED = 10_000;

export function sealFormat<T>(format: {
  // Seconds a seal stays valid; read when sealing and unsealing.
  ttlSeconds: () => number;
  // Longer values are not this format's and are refused unopened.
  maxLength: number;
  toData: (value: T) => Record<string, unknown>;
  fromData: (data: Record<string, unknown>) => T | null;
}): SealFormat<T> {
  const remembered = new WeakMap<Passwords, LruCache<string, { value: T; expiresAt: number }>>();
  const passwordsNow = () => config().secrets.sessionPasswords;

  function unsealedBefore(sealed: string, passwords: Passwords = passwordsNow()): T | null {
    const known = remembered.get(passwords)?.get(sealed);
    return known && Date.now() < known.expiresAt ? known.value : null;
  }

  return {
    seal: (value, passwords = passwordsNow()) =>
      sealData(format.toData(value), { password: passwords, ttl: format.ttlSeconds() }),
    unsealedBefore,
    async unseal(sealed, passwords = passwordsNow()) {
      if (sealed.length > format.maxLength) return null;
      const known = unsealedBefore(sealed, passwords);
      if (known !== null) return known;
      let cache = remembered.get(passwords);
      if (!cache) remembered.set(passwords, (cache = new LruCache(REMEMBERED)));
      let value: T | null = null;
      try {
        const data = await unsealData<Record<string, unknown>>(sealed, {
          password: passwords,
          ttl: format.ttlSeconds(),
        });
        value = typeof data === "object" && data !== null ? format.fromData(data) : null;
      } catch {
        value = null;
      }
      const canonical = CANONICAL_SEAL.exec(sealed);
      if (value !== null && canonical) cache.set(sealed, { value, expiresAt: Number(canonical[1]) });
      else cache.delete(sealed);
      return value;
    },
  };
}
