// Signing keys for access tokens: created on first use, stored in the
// database (private part encrypted), cached in memory, shared by every
// instance on the same database. A rotation publishes the new key in the
// JWKS first and lets it sign only once every verifier that honours the
// JWKS's Cache-Control has had time to fetch it (scheduled); older keys keep
// verifying until every token they signed has expired, then leave the JWKS.
// So no request fails anywhere during or after a rotation, here or in
// another service. An immediate rotation exists for emergencies.
import { randomUUID } from "node:crypto";
import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from "jose";
import { config, type JwtAlgorithm } from "@/lib/config";
import { db } from "@/lib/db";
import { isDatabaseUnavailable } from "@/lib/database-errors";
import { processState } from "@/lib/process-state";
import { decryptAtRest, encryptAtRest } from "@/lib/auth/encryption";

export type SigningKeyRecord = {
  kid: string;
  alg: string;
  publicJwk: string;
  privateJwkEncrypted: string;
  createdAt: Date;
  activatesAt: Date | null;
  retiredAt: Date | null;
};

export type LoadedKey = {
  kid: string;
  alg: JwtAlgorithm;
  createdAt: Date;
  activatesAt: Date | null;
  retiredAt: Date | null;
  publicKey: CryptoKey;
  publicJwk: JWK;
};

// Keys are re-read at most this often when signing, so a rotation made by
// another instance is picked up within it; an unknown kid triggers an
// earlier re-read (at most once a second) so verification never waits.
const CACHE_TTL_MS = 30_000;
const UNKNOWN_KID_RELOAD_MS = 1000;

const PRIVATE_KEYS = { salt: "session-vs-jwt signing keys", info: "private-jwk-v1" };

// Bound to its kid (lib/auth/encryption.ts).
export function encryptPrivateJwk(jwk: JWK, kid: string): string {
  return encryptAtRest(JSON.stringify(jwk), PRIVATE_KEYS, kid);
}

// The stored private key does not open with this AUTH_SECRET: it was
// created under another one (or the row was tampered with).
export class KeyDecryptionError extends Error {
  override name = "KeyDecryptionError";
  constructor(readonly kid: string) {
    super(`The signing key ${kid} in the database cannot be decrypted with this AUTH_SECRET.`);
  }
}

export function decryptPrivateJwk(sealed: string, kid: string): JWK {
  const json = decryptAtRest(sealed, PRIVATE_KEYS, kid);
  if (json === null) throw new KeyDecryptionError(kid);
  return JSON.parse(json) as JWK;
}

// A retired key stays published while a token it signed may still be valid:
// other instances may sign with it for up to one cache period after the
// rotation, and those tokens live one access-token lifetime.
export function isPublished(key: Pick<SigningKeyRecord, "retiredAt">, now: Date): boolean {
  if (!key.retiredAt) return true;
  const { accessTokenTtlMs, clockToleranceSeconds } = config().jwt;
  return now.getTime() < key.retiredAt.getTime() + CACHE_TTL_MS + accessTokenTtlMs + clockToleranceSeconds * 1000;
}

// How long a new key is published before it signs: the JWKS's max-age
// (what an outside verifier may cache), plus the JWKS's own freshness here
// (1 s) and the clock tolerance.
export function activationLeadMs(): number {
  const { jwksMaxAgeMs, clockToleranceSeconds } = config().jwt;
  return jwksMaxAgeMs + UNKNOWN_KID_RELOAD_MS + clockToleranceSeconds * 1000;
}

const activationOf = (key: Pick<SigningKeyRecord, "createdAt" | "activatesAt">) => key.activatesAt ?? key.createdAt;

// Active: it may sign now (its time has come and no newer key has taken over).
export function isActive(key: Pick<SigningKeyRecord, "createdAt" | "activatesAt" | "retiredAt">, now: Date): boolean {
  return activationOf(key).getTime() <= now.getTime() && (!key.retiredAt || key.retiredAt.getTime() > now.getTime());
}

export async function createSigningKey(now = new Date(), activatesAt: Date | null = null): Promise<SigningKeyRecord> {
  const alg = config().jwt.algorithm;
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
  const kid = `${now.toISOString().slice(0, 10)}-${randomUUID().slice(0, 8)}`;
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: "sig" };
  return db().signingKey.create({
    data: {
      kid,
      alg,
      publicJwk: JSON.stringify(publicJwk),
      privateJwkEncrypted: encryptPrivateJwk(await exportJWK(privateKey), kid),
      createdAt: now,
      activatesAt,
    },
  });
}

export type Rotation = { key: SigningKeyRecord; activatesAt: Date; immediate: boolean; alreadyScheduled: boolean };

// Scheduled (the default): the new key is published now and signs after
// activationLeadMs(); the current key signs until then (its retiredAt is
// that moment). A rotation already scheduled is returned as it is.
// Immediate (an emergency): the new key signs at once, and any verifier
// with a cached JWKS refuses its tokens until it fetches the JWKS again.
// Keys past their publication window verify nothing any more and are
// deleted, so repeated rotations do not grow the key set.
export async function rotateSigningKey(now = new Date(), { immediate = false } = {}): Promise<Rotation> {
  const pending = await db().signingKey.findFirst({ where: { activatesAt: { gt: now } } });
  let rotation: Rotation;
  if (!immediate && pending) {
    rotation = { key: pending, activatesAt: pending.activatesAt!, immediate: false, alreadyScheduled: true };
  } else if (immediate) {
    // A scheduled key never signed anything: it can simply go.
    await db().signingKey.deleteMany({ where: { activatesAt: { gt: now } } });
    const key = await createSigningKey(now);
    await db().signingKey.updateMany({
      where: { kid: { not: key.kid }, OR: [{ retiredAt: null }, { retiredAt: { gt: now } }] },
      data: { retiredAt: now },
    });
    rotation = { key, activatesAt: now, immediate: true, alreadyScheduled: false };
  } else {
    const activatesAt = new Date(now.getTime() + activationLeadMs());
    const key = await createSigningKey(now, activatesAt);
    // Only keys signing now: a pending key of another rotation started at the
    // same moment elsewhere must not be retired before it activates.
    await db().signingKey.updateMany({
      where: { kid: { not: key.kid }, retiredAt: null, OR: [{ activatesAt: null }, { activatesAt: { lte: now } }] },
      data: { retiredAt: activatesAt },
    });
    rotation = { key, activatesAt, immediate: false, alreadyScheduled: false };
  }
  const retired = await db().signingKey.findMany({
    where: { retiredAt: { not: null } },
    select: { kid: true, retiredAt: true },
  });
  const expired = retired.filter((row) => !isPublished(row, now)).map((row) => row.kid);
  if (expired.length > 0) await db().signingKey.deleteMany({ where: { kid: { in: expired } } });
  invalidateKeyCache();
  return rotation;
}

type Cache = {
  loadedAt: number;
  // A scheduled key's activation: the set must be read again from then on.
  staleAt: number;
  keys: LoadedKey[];
  signing: { kid: string; alg: JwtAlgorithm; privateKey: CryptoKey } | null;
};
const state = processState<{ cache: Cache | null; loading: Promise<Cache> | null }>("keys", () => ({
  cache: null,
  loading: null,
}));

export function invalidateKeyCache(): void {
  state.cache = null;
}

// Stamped before the query: the set is as old as the moment it was read.
async function load(): Promise<Cache> {
  const now = new Date();
  const rows = await db().signingKey.findMany({ orderBy: { createdAt: "desc" } });
  const published = rows.filter((row) => isPublished(row, now));
  const keys = await Promise.all(
    published.map(async (row): Promise<LoadedKey> => {
      const publicJwk = JSON.parse(row.publicJwk) as JWK;
      return {
        kid: row.kid,
        alg: row.alg as JwtAlgorithm,
        createdAt: row.createdAt,
        activatesAt: row.activatesAt,
        retiredAt: row.retiredAt,
        publicJwk,
        publicKey: (await importJWK(publicJwk, row.alg)) as CryptoKey,
      };
    }),
  );
  const current = rows
    .filter((row) => isActive(row, now))
    .sort((a, b) => activationOf(b).getTime() - activationOf(a).getTime())[0];
  const nextActivation = Math.min(
    ...rows.map((row) => activationOf(row).getTime()).filter((time) => time > now.getTime()),
  );
  const signing = current
    ? {
        kid: current.kid,
        alg: current.alg as JwtAlgorithm,
        privateKey: (await importJWK(
          decryptPrivateJwk(current.privateJwkEncrypted, current.kid),
          current.alg,
        )) as CryptoKey,
      }
    : null;
  return { loadedAt: now.getTime(), staleAt: nextActivation, keys, signing };
}

// One load at a time per process, however many requests ask at once.
function reload(): Promise<Cache> {
  state.loading ??= load()
    .then((loaded) => (state.cache = loaded))
    .finally(() => {
      state.loading = null;
    });
  return state.loading;
}

async function fresh(maxAgeMs: number): Promise<Cache> {
  const cache = state.cache;
  if (cache && Date.now() - cache.loadedAt < maxAgeMs && Date.now() < cache.staleAt) return cache;
  return reload();
}

// Verification never waits for the database while keys are in memory: a
// stale set is used while a reload runs in the background, and through an
// outage (JWT checks must survive one). This is safe because a retired key
// stays published for one cache period plus one token lifetime (isPublished)
// and signing always waits for a fresh set.
function forVerification(): Promise<Cache> {
  if (!state.cache) return reload();
  if (Date.now() - state.cache.loadedAt >= CACHE_TTL_MS) {
    reload().catch((error: unknown) => {
      if (!isDatabaseUnavailable(error)) console.error("[keys] reload failed:", error);
    });
  }
  return Promise.resolve(state.cache);
}

// Instances that start together on an empty database each create a key;
// all of them then keep the oldest as current and retire the rest (which
// stay published), so every instance ends up signing with the same key.
async function keepOneCurrentKey(now = new Date()): Promise<void> {
  const current = await db().signingKey.findMany({
    where: { retiredAt: null, OR: [{ activatesAt: null }, { activatesAt: { lte: now } }] },
    orderBy: [{ createdAt: "asc" }, { kid: "asc" }],
    select: { kid: true },
  });
  const extra = current.slice(1).map((key) => key.kid);
  if (extra.length > 0) await db().signingKey.updateMany({ where: { kid: { in: extra } }, data: { retiredAt: now } });
}

export async function getSigningKey(): Promise<{ kid: string; alg: JwtAlgorithm; privateKey: CryptoKey }> {
  let current = await fresh(CACHE_TTL_MS);
  if (!current.signing) {
    await createSigningKey();
    await keepOneCurrentKey();
    current = await reload();
  }
  return current.signing!;
}

// Our own key set only: never a key named by the token (jku, x5u, jwk). An
// unknown kid may be a key another instance just created, so the set is
// re-read first (at most once a second); if the database cannot be asked,
// that is an outage (503), not a bad token.
export async function findVerificationKey(kid: string): Promise<LoadedKey | null> {
  const current = await forVerification();
  const key = current.keys.find((k) => k.kid === kid && isPublished(k, new Date()));
  if (key) return key;
  // A set read less than a second ago may predate a rotation that has just
  // committed: wait for the next allowed re-read rather than refuse.
  const age = Date.now() - current.loadedAt;
  if (age < UNKNOWN_KID_RELOAD_MS) await new Promise((resolve) => setTimeout(resolve, UNKNOWN_KID_RELOAD_MS - age));
  const reloaded = await fresh(UNKNOWN_KID_RELOAD_MS);
  return reloaded.keys.find((k) => k.kid === kid && isPublished(k, new Date())) ?? null;
}

// The JWKS: at most a second old, so a scheduled key is published at once
// (activationLeadMs counts on it), or, if the database cannot be asked, the
// set in memory (other verifiers need it most during an outage). maxAge is
// how long another service may keep it: JWKS_MAX_AGE, but 0 for the set in
// memory, which may lack a key another instance scheduled meanwhile.
export async function publishedKeySet(): Promise<{ keys: LoadedKey[]; maxAgeSeconds: number }> {
  if (!state.cache) await getSigningKey();
  let current: Cache;
  let maxAgeSeconds = Math.floor(config().jwt.jwksMaxAgeMs / 1000);
  try {
    current = await fresh(UNKNOWN_KID_RELOAD_MS);
  } catch (error) {
    if (!isDatabaseUnavailable(error) || !state.cache) throw error;
    current = state.cache;
    maxAgeSeconds = 0;
  }
  return { keys: current.keys.filter((k) => isPublished(k, new Date())), maxAgeSeconds };
}

export async function publishedKeys(): Promise<LoadedKey[]> {
  return (await publishedKeySet()).keys;
}
