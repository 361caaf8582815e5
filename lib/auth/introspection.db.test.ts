import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { issueAccessToken } from "@/lib/auth/jwt";
import { denylistAccessToken, setDenylistEnabled } from "@/lib/auth/denylist";
import { authenticateIntrospectionClient, introspectToken } from "@/lib/auth/introspection";
import { revokeFamily } from "@/lib/auth/refresh";
import { signedInFamily } from "@/tests/sign-in";

afterAll(() => db().$disconnect());

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`;
const SECRET = "test-introspection-secret-0123456789abcdef";

async function signedIn() {
  const user = await db().user.create({ data: { email: `i-${randomUUID()}@example.com`, passwordHash: "x" } });
  const family = await signedInFamily(user, "api");
  const access = await issueAccessToken(user, { clientId: "api", familyId: family.familyId });
  return { user, family, access };
}

describe("introspection clients (RFC 6749 §2.3.1 Basic)", () => {
  it("accepts a configured resource server and nobody else", () => {
    expect(authenticateIntrospectionClient(basic("test-resource-server", SECRET))).toEqual({
      ok: true,
      value: "test-resource-server",
    });
    for (const header of [
      null,
      "",
      basic("test-resource-server", `${SECRET}x`),
      basic("test-resource-server", ""),
      basic("someone-else", SECRET),
      basic("constructor", ""),
      `Bearer ${SECRET}`,
      "Basic !!!",
    ]) {
      expect(authenticateIntrospectionClient(header), String(header)).toMatchObject({
        ok: false,
        error: { code: "invalid_client" },
      });
    }
  });
});

describe("introspectToken (RFC 7662)", () => {
  it("an access token in force is active, with its claims", async () => {
    const { user, family, access } = await signedIn();
    expect(await introspectToken(access.token)).toEqual({
      active: true,
      token_type: "Bearer",
      iss: access.claims.iss,
      aud: access.claims.aud,
      sub: user.id,
      username: user.email,
      client_id: "api",
      jti: access.claims.jti,
      sid: family.familyId,
      iat: access.claims.iat,
      exp: access.claims.exp,
    });
  });

  // Whatever denylist mode says: introspection is asked because the caller
  // wants the answer as of now.
  it("a denylisted token is inactive with denylist mode off", async () => {
    await setDenylistEnabled(false);
    const { access } = await signedIn();
    await denylistAccessToken(access.claims);
    expect(await introspectToken(access.token)).toEqual({ active: false });
  });

  it("a token whose refresh family ended, or never existed, is inactive", async () => {
    const { family, access } = await signedIn();
    await revokeFamily(family.familyId, "signed_out_everywhere");
    expect(await introspectToken(access.token)).toEqual({ active: false });
    const { user } = await signedIn();
    const orphan = await issueAccessToken(user, { clientId: "api", familyId: randomUUID() });
    expect(await introspectToken(orphan.token)).toEqual({ active: false });
  });

  it("expired, foreign and refresh tokens are inactive", async () => {
    const { user, family } = await signedIn();
    const expired = await issueAccessToken(user, {
      clientId: "api",
      familyId: family.familyId,
      now: new Date(Date.now() - 3_600_000),
    });
    expect(await introspectToken(expired.token)).toEqual({ active: false });
    expect(await introspectToken(family.token)).toEqual({ active: false });
    expect(await introspectToken("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.")).toEqual({ active: false });
  });
});
