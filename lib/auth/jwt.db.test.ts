import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { base64url, decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, SignJWT } from "jose";
import { config } from "@/lib/config";
import { db } from "@/lib/db";
import { DatabaseUnavailable } from "@/lib/database-errors";
import { setDatabaseGate } from "@/lib/database-gate";
import { issueAccessToken, verifyAccessToken, type TokenErrorCode } from "@/lib/auth/jwt";
import {
  activationLeadMs,
  decryptPrivateJwk,
  getSigningKey,
  invalidateKeyCache,
  publishedKeys,
  rotateSigningKey,
} from "@/lib/auth/keys";
import { setDenylistEnabled } from "@/lib/auth/denylist";
import { denylistAccessToken, findAccessTokenRevocation } from "@/lib/auth/denylist";

const user = { id: "user-1", email: "ada@example.com" };
const base = {
  iss: config().jwt.issuer,
  aud: "session-vs-jwt-api",
  sub: "user-1",
  jti: "j-1",
  client_id: "api",
  sid: "fam-1",
};
const now = () => Math.floor(Date.now() / 1000);

async function signWithOurKey(claims: Record<string, unknown>, header: Record<string, unknown> = {}) {
  const key = await getSigningKey();
  return new SignJWT(claims)
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: "at+jwt", ...header })
    .sign(key.privateKey);
}

async function expectFailure(token: string, code: TokenErrorCode) {
  const result = await verifyAccessToken(token);
  expect(result.ok).toBe(false);
  if (!result.ok) expect(result.error.code).toBe(code);
}

// The tokens' refresh family (sid) exists and is live: in denylist mode a
// token whose family is gone is refused.
beforeAll(async () => {
  invalidateKeyCache();
  await setDenylistEnabled(false);
  await db().user.upsert({
    where: { id: user.id },
    create: { ...user, passwordHash: "x" },
    update: {},
  });
  await db().refreshFamily.upsert({
    where: { id: "fam-1" },
    create: { id: "fam-1", userId: user.id, clientId: "api", createdAt: new Date() },
    update: { revokedAt: null },
  });
});
afterAll(() => db().$disconnect());

describe("issued access tokens", () => {
  it("carry the RFC 9068 header and claims", async () => {
    const { token, kid } = await issueAccessToken(user, { clientId: "api", familyId: "fam-1" });
    expect(decodeProtectedHeader(token)).toEqual({ alg: "ES256", kid, typ: "at+jwt" });
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({
      iss: config().jwt.issuer,
      aud: "session-vs-jwt-api",
      sub: "user-1",
      client_id: "api",
      sid: "fam-1",
      email: "ada@example.com",
    });
    expect(claims.exp! - claims.iat!).toBe(300);
    expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/);
    const verified = await verifyAccessToken(token);
    expect(verified).toMatchObject({ ok: true, value: { kid, alg: "ES256", checkedDenylist: false } });
  });

  it("are signed by a key whose private half is encrypted at rest", async () => {
    const { kid } = await getSigningKey();
    const row = await db().signingKey.findUniqueOrThrow({ where: { kid } });
    expect(row.privateJwkEncrypted).toMatch(/^v1\./);
    expect(row.privateJwkEncrypted).not.toContain('"d"');
    expect(decryptPrivateJwk(row.privateJwkEncrypted, kid)).toHaveProperty("d");
    expect(() => decryptPrivateJwk(row.privateJwkEncrypted, "another-kid")).toThrow();
  });
});

describe("verification refuses", () => {
  it("expired and not-yet-valid tokens (beyond 5 s of clock tolerance)", async () => {
    await expectFailure(await signWithOurKey({ ...base, iat: now() - 400, exp: now() - 6 }), "expired");
    expect((await verifyAccessToken(await signWithOurKey({ ...base, iat: now() - 400, exp: now() - 2 }))).ok).toBe(
      true,
    );
    await expectFailure(
      await signWithOurKey({ ...base, iat: now(), exp: now() + 300, nbf: now() + 60 }),
      "not_yet_valid",
    );
  });

  it("wrong issuer, audience, type and missing claims", async () => {
    const times = { iat: now(), exp: now() + 300 };
    await expectFailure(await signWithOurKey({ ...base, ...times, iss: "https://evil.example" }), "wrong_issuer");
    await expectFailure(await signWithOurKey({ ...base, ...times, aud: "another-api" }), "wrong_audience");
    await expectFailure(await signWithOurKey({ ...base, ...times }, { typ: "JWT" }), "wrong_type");
    for (const claim of ["jti", "client_id"] as const) {
      const without: Partial<typeof base> = { ...base };
      delete without[claim];
      await expectFailure(await signWithOurKey({ ...without, ...times }), "missing_claim");
    }
  });

  it("a tampered payload or signature", async () => {
    const { token } = await issueAccessToken(user, { clientId: "api", familyId: "fam-1" });
    const [h, p, s] = token.split(".");
    const payload = JSON.parse(new TextDecoder().decode(base64url.decode(p!)));
    const forged = base64url.encode(JSON.stringify({ ...payload, sub: "admin" }));
    await expectFailure(`${h}.${forged}.${s}`, "bad_signature");
    await expectFailure(`${h}.${p}.${s!.slice(0, -4)}AAAA`, "bad_signature");
  });

  it("alg none, HS256 keyed with our public key, and unlisted algorithms", async () => {
    const { kid } = await getSigningKey();
    const claims = base64url.encode(JSON.stringify({ ...base, iat: now(), exp: now() + 300 }));
    const none = base64url.encode(JSON.stringify({ alg: "none", typ: "at+jwt", kid }));
    await expectFailure(`${none}.${claims}.`, "alg_not_allowed");

    const [published] = await publishedKeys();
    const secret = new TextEncoder().encode(JSON.stringify(published!.publicJwk));
    const hs = await new SignJWT({ ...base, iat: now(), exp: now() + 300 })
      .setProtectedHeader({ alg: "HS256", kid, typ: "at+jwt" })
      .sign(secret);
    await expectFailure(hs, "alg_not_allowed");

    const ed = await generateKeyPair("EdDSA");
    const edToken = await new SignJWT({ ...base, iat: now(), exp: now() + 300 })
      .setProtectedHeader({ alg: "EdDSA", kid, typ: "at+jwt" })
      .sign(ed.privateKey);
    await expectFailure(edToken, "alg_not_allowed");
  });

  it("keys announced by the token itself (jwk, jku, x5u) and unknown kids", async () => {
    const attacker = await generateKeyPair("ES256", { extractable: true });
    const jwk = await exportJWK(attacker.publicKey);
    const claims = { ...base, iat: now(), exp: now() + 300 };
    for (const header of [
      { jwk },
      { jku: "https://evil.example/jwks.json" },
      { x5u: "https://evil.example/cert.pem" },
    ]) {
      const token = await new SignJWT(claims)
        .setProtectedHeader({ alg: "ES256", typ: "at+jwt", kid: "attacker", ...header })
        .sign(attacker.privateKey);
      await expectFailure(token, "unsupported_header");
    }
    const unknownKid = await new SignJWT(claims)
      .setProtectedHeader({ alg: "ES256", typ: "at+jwt", kid: "attacker" })
      .sign(attacker.privateKey);
    await expectFailure(unknownKid, "unknown_kid");
    const { kid } = await getSigningKey();
    const reusedKid = await new SignJWT(claims)
      .setProtectedHeader({ alg: "ES256", typ: "at+jwt", kid })
      .sign(attacker.privateKey);
    await expectFailure(reusedKid, "bad_signature");
  });

  it("malformed and oversized input", async () => {
    for (const junk of ["", "abc", "a.b", "a.b.c", "....", `${base64url.encode("[]")}.e30.x`]) {
      await expectFailure(junk, "malformed");
    }
    const { kid } = await getSigningKey();
    const header = base64url.encode(JSON.stringify({ alg: "ES256", typ: "at+jwt", kid }));
    await expectFailure(`${header}.%%%.x`, "malformed");
    await expectFailure("a".repeat(5000), "oversized");
  });

  it("a revoked jti only in denylist mode", async () => {
    const { token, claims } = await issueAccessToken(user, { clientId: "api", familyId: "fam-1" });
    await denylistAccessToken(claims);
    expect((await verifyAccessToken(token)).ok).toBe(true);
    await setDenylistEnabled(true);
    await expectFailure(token, "revoked");
    await setDenylistEnabled(false);
  });
});

describe("in denylist mode, tokens checked together", () => {
  // On PostgreSQL these go as one query (lib/db.ts): each token must get
  // its own answer.
  it("are each refused or accepted on their own jti and family", async () => {
    await db().refreshFamily.upsert({
      where: { id: "fam-revoked" },
      create: { id: "fam-revoked", userId: user.id, clientId: "api", createdAt: new Date(), revokedAt: new Date() },
      update: { revokedAt: new Date() },
    });
    const issued = await Promise.all(
      Array.from({ length: 24 }, (_, index) =>
        issueAccessToken(user, { clientId: "api", familyId: index % 4 === 1 ? "fam-revoked" : "fam-1" }),
      ),
    );
    for (const [index, { claims }] of issued.entries()) if (index % 4 === 0) await denylistAccessToken(claims);
    // The probes alone start in one turn, so they surely share a query.
    expect(await Promise.all(issued.map(({ claims }) => findAccessTokenRevocation(claims)))).toEqual(
      issued.map((_, index) => (index % 4 === 0 ? "token" : index % 4 === 1 ? "family" : null)),
    );
    await setDenylistEnabled(true);
    const results = await Promise.all(issued.map(({ token }) => verifyAccessToken(token)));
    await setDenylistEnabled(false);
    expect(results.map((result) => (result.ok ? "accepted" : result.error.code))).toEqual(
      issued.map((_, index) => (index % 4 === 0 || index % 4 === 1 ? "revoked" : "accepted")),
    );
  });
});

describe("a token verified before", () => {
  it("is still refused once it expires, with the precise reason", async () => {
    const { token, claims } = await issueAccessToken(user, { clientId: "api", familyId: "fam-1" });
    expect((await verifyAccessToken(token)).ok).toBe(true);
    const later = new Date((claims.exp + 6) * 1000);
    const result = await verifyAccessToken(token, later);
    expect(result.ok ? "accepted" : result.error.code).toBe("expired");
  });

  it("is refused once revoked in denylist mode, at the very next use", async () => {
    const { token, claims } = await issueAccessToken(user, { clientId: "api", familyId: "fam-1" });
    await setDenylistEnabled(true);
    expect((await verifyAccessToken(token)).ok).toBe(true);
    await denylistAccessToken(claims);
    await expectFailure(token, "revoked");
    await setDenylistEnabled(false);
  });

  it("is refused once its key is no longer published", async () => {
    const old = await getSigningKey();
    const { token } = await issueAccessToken(user, { clientId: "api", familyId: "fam-1" });
    expect((await verifyAccessToken(token)).ok).toBe(true);
    await rotateSigningKey(new Date(), { immediate: true });
    await db().signingKey.update({ where: { kid: old.kid }, data: { retiredAt: new Date(Date.now() - 3_600_000) } });
    invalidateKeyCache();
    await expectFailure(token, "unknown_kid");
  });

  it("does not vouch for a copy with one character changed", async () => {
    const { token } = await issueAccessToken(user, { clientId: "api", familyId: "fam-1" });
    expect((await verifyAccessToken(token)).ok).toBe(true);
    // Well inside the signature (the last character carries unused bits).
    const i = token.length - 10;
    await expectFailure(`${token.slice(0, i)}${token[i] === "A" ? "B" : "A"}${token.slice(i + 1)}`, "bad_signature");
  });
});

describe("during a database outage", () => {
  // An unknown kid may be a key another instance created: it cannot be
  // looked up, so it is an outage (503), not a bad token (401).
  it("keeps verifying with the keys in memory; an unknown kid cannot be checked", async () => {
    const { token } = await issueAccessToken(user, { clientId: "api", familyId: "fam-1" });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const attacker = await generateKeyPair("ES256");
    const stranger = await new SignJWT({ ...base, iat: now(), exp: now() + 300 })
      .setProtectedHeader({ alg: "ES256", typ: "at+jwt", kid: "not-ours" })
      .sign(attacker.privateKey);
    setDatabaseGate(() => true);
    try {
      expect((await verifyAccessToken(token)).ok).toBe(true);
      await expect(verifyAccessToken(stranger)).rejects.toThrow(DatabaseUnavailable);
    } finally {
      setDatabaseGate(() => false);
    }
    await expectFailure(stranger, "unknown_kid");
  });
});

describe("key rotation", () => {
  it("keeps verifying old tokens and publishes both keys", async () => {
    const before = await issueAccessToken(user, { clientId: "api", familyId: "fam-1" });
    const { key: next } = await rotateSigningKey(new Date(), { immediate: true });
    const after = await issueAccessToken(user, { clientId: "api", familyId: "fam-1" });
    expect(after.kid).toBe(next.kid);
    expect(before.kid).not.toBe(next.kid);
    expect((await verifyAccessToken(before.token)).ok).toBe(true);
    expect((await verifyAccessToken(after.token)).ok).toBe(true);
    const kids = (await publishedKeys()).map((k) => k.kid);
    expect(kids).toEqual(expect.arrayContaining([before.kid, after.kid]));
  });

  // A verifier elsewhere may hold the JWKS for its max-age: the new key must
  // be in it that long before any token is signed with it.
  it("a scheduled key is published at once and signs only from its activation", async () => {
    const current = await getSigningKey();
    const lead = activationLeadMs();
    expect(lead).toBe(config().jwt.jwksMaxAgeMs + 6000);
    // Scheduled "lead − 800 ms ago", so it activates in 800 ms.
    const rotation = await rotateSigningKey(new Date(Date.now() - lead + 800));
    expect(rotation).toMatchObject({ immediate: false, alreadyScheduled: false });
    expect((await publishedKeys()).map((k) => k.kid)).toContain(rotation.key.kid);
    expect((await getSigningKey()).kid).toBe(current.kid);
    const before = await issueAccessToken(user, { clientId: "api", familyId: "fam-1" });
    expect(before.kid).toBe(current.kid);
    // Asked again while one is pending: the same one, not a second.
    expect((await rotateSigningKey()).key.kid).toBe(rotation.key.kid);
    await new Promise((resolve) => setTimeout(resolve, 900));
    // No invalidation: the cache knows when the pending key activates.
    expect((await getSigningKey()).kid).toBe(rotation.key.kid);
    expect((await verifyAccessToken(before.token)).ok).toBe(true);
    const previous = await db().signingKey.findUniqueOrThrow({ where: { kid: current.kid } });
    expect(previous.retiredAt?.getTime()).toBe(rotation.activatesAt.getTime());
  });

  it("an immediate rotation signs at once and drops a key that was only scheduled", async () => {
    const scheduled = await rotateSigningKey();
    const now = await rotateSigningKey(new Date(), { immediate: true });
    expect(now.immediate).toBe(true);
    expect((await getSigningKey()).kid).toBe(now.key.kid);
    expect(await db().signingKey.findUnique({ where: { kid: scheduled.key.kid } })).toBeNull();
  });

  it("drops a retired key once its tokens can no longer be valid", async () => {
    const old = await getSigningKey();
    await rotateSigningKey(new Date(), { immediate: true });
    await db().signingKey.update({ where: { kid: old.kid }, data: { retiredAt: new Date(Date.now() - 3_600_000) } });
    invalidateKeyCache();
    expect((await publishedKeys()).map((k) => k.kid)).not.toContain(old.kid);
  });
});
