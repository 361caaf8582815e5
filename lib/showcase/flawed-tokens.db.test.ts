import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeJwt, decodeProtectedHeader, jwtVerify, SignJWT, type JWTPayload } from "jose";
import { config } from "@/lib/config";
import { db } from "@/lib/db";
import { verifyAccessToken, type VerifiedToken } from "@/lib/auth/jwt";
import { findVerificationKey, getSigningKey, invalidateKeyCache, rotateSigningKey } from "@/lib/auth/keys";
import { signFlawedTokens } from "./flawed-tokens";

const policy = config().jwt;

// A token this issuer signed, with claims of the test's choosing.
async function verified(claims: Record<string, unknown>): Promise<VerifiedToken> {
  const key = await getSigningKey();
  const now = Math.floor(Date.now() / 1000);
  const token = await new SignJWT({
    iss: policy.issuer,
    aud: policy.audience,
    sub: "user-flawed",
    iat: now,
    exp: now + 300,
    jti: "jti-flawed",
    client_id: "api",
    sid: "family-flawed",
    email: "flawed@example.com",
    ...claims,
  })
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: "at+jwt" })
    .sign(key.privateKey);
  const result = await verifyAccessToken(token);
  if (!result.ok) throw new Error(result.error.description);
  return result.value;
}

// Each copy passes every check but the one it is meant to fail.
async function checkAllBut(token: string, skip: "exp" | "aud" | "typ"): Promise<JWTPayload> {
  const key = await findVerificationKey(decodeProtectedHeader(token).kid!);
  const { payload } = await jwtVerify(token, key!.publicKey, {
    issuer: policy.issuer,
    audience: skip === "aud" ? undefined : policy.audience,
    typ: skip === "typ" ? undefined : "at+jwt",
    currentDate: skip === "exp" ? new Date((decodeJwt(token).exp! - 1) * 1000) : undefined,
  });
  return payload;
}

beforeAll(() => invalidateKeyCache());
afterAll(() => db().$disconnect());

describe("flawed copies of a caller's token", () => {
  it("each has one flaw, the current key, and the original's subject and revocation handles", async () => {
    const original = await verified({});
    const result = await signFlawedTokens(original);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const { expired, wrong_audience, wrong_type } = result.value;
    for (const token of [expired, wrong_audience, wrong_type]) {
      expect(decodeProtectedHeader(token).kid).toBe(original.kid);
      expect(decodeJwt(token)).toMatchObject({ sub: "user-flawed", jti: "jti-flawed", sid: "family-flawed" });
    }
    expect(await checkAllBut(expired, "exp")).toMatchObject({ sub: "user-flawed" });
    expect(await checkAllBut(wrong_audience, "aud")).toMatchObject({ aud: "https://wrong-audience.invalid" });
    expect(await checkAllBut(wrong_type, "typ")).toMatchObject({ sub: "user-flawed" });
    expect(decodeProtectedHeader(wrong_type).typ).toBe("JWT");
    for (const [token, code] of [
      [expired, "expired"],
      [wrong_audience, "wrong_audience"],
      [wrong_type, "wrong_type"],
    ] as const) {
      const refused = await verifyAccessToken(token);
      expect(refused.ok ? "accepted" : refused.error.code).toBe(code);
    }
  });

  it("never outlive one access-token lifetime from now, and carry only the issuer's own claims", async () => {
    const now = Math.floor(Date.now() / 1000);
    const original = await verified({ exp: now + 30 * 24 * 3600, role: "admin" });
    const result = await signFlawedTokens(original);
    if (!result.ok) throw new Error(result.error.description);
    const copy = decodeJwt(result.value.wrong_type);
    expect(copy.exp!).toBeLessThanOrEqual(now + 1 + policy.accessTokenTtlMs / 1000);
    expect(copy).not.toHaveProperty("role");
  });

  it("are refused for a token signed with an earlier key", async () => {
    const original = await verified({});
    await rotateSigningKey(new Date(), { immediate: true });
    invalidateKeyCache();
    const result = await signFlawedTokens(original);
    expect(result).toMatchObject({ ok: false, error: { code: "conflict" } });
  });
});
