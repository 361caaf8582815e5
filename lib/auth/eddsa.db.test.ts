import { afterAll, describe, expect, it } from "vitest";
import { decodeProtectedHeader } from "jose";
import { db } from "@/lib/db";
import { issueAccessToken, verifyAccessToken } from "@/lib/auth/jwt";
import { getSigningKey, invalidateKeyCache, publishedKeys, rotateSigningKey } from "@/lib/auth/keys";

// Read by lib/config.ts on first use, which is after this line (each test
// file has its own module registry).
process.env.JWT_ALG = "EdDSA";
const user = { id: "user-ed", email: "ed@example.com" };
let edKid = "";

afterAll(async () => {
  await db().signingKey.deleteMany({ where: { kid: edKid } });
  invalidateKeyCache();
  await db().$disconnect();
});

describe("JWT_ALG=EdDSA", () => {
  it("rotates to an Ed25519 key, signs EdDSA tokens, and still verifies tokens of the previous key", async () => {
    const es = await issueAccessToken(user, { clientId: "api", familyId: "f" });
    const { key } = await rotateSigningKey(new Date(), { immediate: true });
    edKid = key.kid;
    expect(key.alg).toBe("EdDSA");
    const ed = await issueAccessToken(user, { clientId: "api", familyId: "f" });
    expect(decodeProtectedHeader(ed.token)).toMatchObject({ alg: "EdDSA", kid: key.kid, typ: "at+jwt" });
    expect((await verifyAccessToken(ed.token)).ok).toBe(true);
    expect((await verifyAccessToken(es.token)).ok).toBe(true);
    const published = (await publishedKeys()).find((k) => k.kid === key.kid);
    expect(published?.publicJwk).toMatchObject({ kty: "OKP", crv: "Ed25519", alg: "EdDSA", use: "sig" });
    expect((await getSigningKey()).alg).toBe("EdDSA");
  });
});
