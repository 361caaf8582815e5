import type { APIRequestContext } from "@playwright/test";
import { base64url, decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, SignJWT } from "jose";
import { db } from "@/lib/db";
import { getSigningKey, invalidateKeyCache, publishedKeys, rotateSigningKey } from "@/lib/auth/keys";
import { issueAccessToken } from "@/lib/auth/jwt";
import { expect, signInWithToken, test } from "../fixtures";
import { apiClientTokens, setCookies, uniqueEmail } from "../helpers";
import { port } from "../test-env";

test.afterAll(() => db().$disconnect());

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function setDenylist(request: APIRequestContext, access: string, enabled: boolean) {
  const r = await request.put("/api/auth/denylist", { headers: bearer(access), data: { enabled } });
  expect(r.status()).toBe(200);
}

test.describe("token endpoint", () => {
  test("issues an RFC 9068 access token and an opaque refresh token", async ({ request, account: user }) => {
    const response = await request.post("/api/auth/token", {
      data: { email: user.email, password: user.password },
    });
    expect(response.status()).toBe(200);
    expect(response.headers()["cache-control"]).toBe("no-store");
    const body = await response.json();
    expect(body).toEqual({
      access_token: expect.any(String),
      token_type: "Bearer",
      expires_in: 300,
      refresh_token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      refresh_expires_in: expect.any(Number),
    });
    expect(body.refresh_expires_in).toBeGreaterThan(14 * 86400 - 10);
    const header = decodeProtectedHeader(body.access_token);
    expect(header).toEqual({ alg: "ES256", typ: "at+jwt", kid: expect.any(String) });
    const claims = decodeJwt(body.access_token);
    expect(claims).toMatchObject({
      iss: `http://localhost:${port}`,
      aud: "session-vs-jwt-api",
      sub: user.id,
      client_id: "api",
      email: user.email,
    });
    const jwks = await (await request.get("/.well-known/jwks.json")).json();
    expect(jwks.keys.map((k: { kid: string }) => k.kid)).toContain(header.kid);
    for (const key of jwks.keys) {
      expect(key).toMatchObject({ kid: expect.any(String), alg: "ES256", use: "sig", kty: "EC", crv: "P-256" });
      expect(key.d).toBeUndefined();
    }
  });

  test("browsers get the refresh token only in an HttpOnly, SameSite=Strict cookie on the refresh path", async ({
    request,
    baseURL,
    account: user,
  }) => {
    const response = await request.post("/api/auth/token", {
      headers: { origin: baseURL! },
      data: { email: user.email, password: user.password, client_id: "browser" },
    });
    const body = await response.json();
    expect(body.refresh_token).toBeUndefined();
    const [cookie] = setCookies(response);
    expect(cookie).toMatchObject({
      name: "svj_refresh",
      attributes: { httponly: true, samesite: "strict", path: "/api/auth/refresh" },
    });
    const refreshed = await request.post("/api/auth/refresh", { headers: { origin: baseURL! } });
    expect(refreshed.status()).toBe(200);
    const refreshedBody = await refreshed.json();
    expect(decodeJwt(refreshedBody.access_token).client_id).toBe("browser");
    expect(refreshedBody.refresh_token).toBeUndefined();
    const foreign = await request.post("/api/auth/refresh", { headers: { origin: "https://evil.example" } });
    expect(foreign.status()).toBe(403);
  });

  test("shares the sign-in's generic error and throttle", async ({ request, newAccount: user }) => {
    const wrong = await request.post("/api/auth/token", { data: { email: user.email, password: "wrong password" } });
    const unknown = await request.post("/api/auth/token", {
      data: { email: uniqueEmail("ghost"), password: "wrong password" },
    });
    expect(wrong.status()).toBe(401);
    expect(await wrong.text()).toBe(await unknown.text());
    expect(await wrong.json()).toEqual({
      error: "invalid_grant",
      error_description: "Email or password is incorrect.",
    });
    for (let i = 0; i < 5; i++)
      await request.post("/api/session", { data: { email: user.email, password: `wrong ${i}` } });
    const blocked = await request.post("/api/auth/token", { data: { email: user.email, password: user.password } });
    expect(blocked.status()).toBe(429);
    expect(blocked.headers()["retry-after"]).toMatch(/^\d+$/);
  });
});

test.describe("GET /api/me", () => {
  test("200 with the user and Server-Timing for a valid token", async ({ request, account: user, tokens }) => {
    const access_token = tokens.accessToken;
    const me = await request.get("/api/me", { headers: bearer(access_token) });
    expect(me.status()).toBe(200);
    // The fixture signs in as the dashboard's browser client.
    expect(await me.json()).toMatchObject({ id: user.id, email: user.email, client_id: "browser" });
    // The first check verifies the signature; the next comes from memory.
    expect(me.headers()["server-timing"]).toMatch(/^auth;desc="jwt, first sight";dur=\d+\.\d{2}$/);
    const again = await request.get("/api/me", { headers: bearer(access_token) });
    expect(again.headers()["server-timing"]).toMatch(/^auth;desc="jwt, seen before";dur=\d+\.\d{2}$/);
    expect((await request.get("/api/me")).headers()["server-timing"]).toMatch(/^auth;desc="jwt, none";dur=/);
  });

  test("an attack corpus of tokens and headers: all 401 invalid_token, never 5xx", async ({ request, tokens }) => {
    const access_token = tokens.accessToken;
    const key = await getSigningKey();
    const now = Math.floor(Date.now() / 1000);
    const claims = { ...decodeJwt(access_token) };
    const sign = (payload: Record<string, unknown>, header: Record<string, unknown> = {}) =>
      new SignJWT(payload)
        .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: "at+jwt", ...header })
        .sign(key.privateKey);
    const attacker = await generateKeyPair("ES256", { extractable: true });
    const attackerJwk = await exportJWK(attacker.publicKey);
    const [published] = await publishedKeys();
    const [h, p, s] = access_token.split(".");
    const part = (v: unknown) => base64url.encode(JSON.stringify(v));

    const corpus: [string, string][] = [
      ["alg none", `${part({ alg: "none", typ: "at+jwt", kid: key.kid })}.${p}.`],
      [
        "HS256 keyed with the public JWK",
        await new SignJWT(claims)
          .setProtectedHeader({ alg: "HS256", kid: key.kid, typ: "at+jwt" })
          .sign(new TextEncoder().encode(JSON.stringify(published!.publicJwk))),
      ],
      [
        "attacker key in jwk header",
        await new SignJWT(claims)
          .setProtectedHeader({ alg: "ES256", typ: "at+jwt", jwk: attackerJwk })
          .sign(attacker.privateKey),
      ],
      [
        "attacker jku",
        await new SignJWT(claims)
          .setProtectedHeader({ alg: "ES256", typ: "at+jwt", kid: "x", jku: "https://evil.example/jwks" })
          .sign(attacker.privateKey),
      ],
      [
        "attacker x5u",
        await new SignJWT(claims)
          .setProtectedHeader({ alg: "ES256", typ: "at+jwt", kid: "x", x5u: "https://evil.example/c.pem" })
          .sign(attacker.privateKey),
      ],
      // Signed by our own key and otherwise valid: only the header refuses them.
      ["our key, with an x5c header", await sign(claims, { x5c: ["MIIBszCCAVmgAwIBAgIU"] })],
      ["our key, with an x5t header", await sign(claims, { x5t: "dGh1bWJwcmludA" })],
      [
        "our kid, attacker key",
        await new SignJWT(claims)
          .setProtectedHeader({ alg: "ES256", typ: "at+jwt", kid: key.kid })
          .sign(attacker.privateKey),
      ],
      [
        "unknown kid",
        await new SignJWT(claims)
          .setProtectedHeader({ alg: "ES256", typ: "at+jwt", kid: "no-such-key" })
          .sign(attacker.privateKey),
      ],
      ["tampered payload", `${h}.${part({ ...claims, sub: "someone-else" })}.${s}`],
      ["tampered signature", `${h}.${p}.${s!.slice(0, -6)}AAAAAA`],
      ["expired", await sign({ ...claims, iat: now - 600, exp: now - 60 })],
      ["not yet valid", await sign({ ...claims, nbf: now + 600 })],
      ["wrong issuer", await sign({ ...claims, iss: "https://evil.example" })],
      ["wrong audience", await sign({ ...claims, aud: "other-api" })],
      ["wrong typ", await sign(claims, { typ: "JWT" })],
      ["id token typ", await sign(claims, { typ: "id_token+jwt" })],
      ["missing jti", await sign({ ...claims, jti: undefined })],
      ["missing sub", await sign({ ...claims, sub: undefined })],
      ["malformed", "not-a-jwt"],
      ["non-ASCII alg", `${part({ alg: "Ā\u0000", kid: "x" })}.e30.AA`],
      [
        "non-ASCII kid",
        await new SignJWT(claims)
          .setProtectedHeader({ alg: "ES256", typ: "at+jwt", kid: "ключ\n" })
          .sign(attacker.privateKey),
      ],
      ["two parts", `${h}.${p}`],
      ["bad base64", `${h}.@@@.${s}`],
      ["oversized", `${h}.${base64url.encode("x".repeat(6000))}.${s}`],
    ];
    for (const [name, token] of corpus) {
      const r = await request.get("/api/me", { headers: bearer(token) });
      expect(r.status(), name).toBe(401);
      expect(r.headers()["www-authenticate"], name).toMatch(
        // The DPoP challenge beside it (RFC 9449 §7.1), in the same header.
        /^Bearer realm="session-vs-jwt", error="invalid_token", error_description="[^"]+", DPoP algs="ES256 EdDSA"$/,
      );
      expect((await r.json()).error, name).toBe("invalid_token");
    }
    const headers: [string, Record<string, string>][] = [
      ["no Authorization", {}],
      ["empty", { authorization: "" }],
      ["Basic", { authorization: `Basic ${Buffer.from("a:b").toString("base64")}` }],
      ["Bearer without token", { authorization: "Bearer" }],
      ["token without scheme", { authorization: access_token }],
      ["two tokens", { authorization: `Bearer ${access_token} ${access_token}` }],
      ["illegal characters", { authorization: "Bearer <script>" }],
    ];
    for (const [name, h] of headers) {
      const r = await request.get("/api/me", { headers: h });
      expect(r.status(), name).toBe(401);
      expect(r.headers()["www-authenticate"], name).toContain('error="invalid_token"');
    }
    expect((await request.get("/api/me", { headers: { authorization: `bearer ${access_token}` } })).status()).toBe(200);
  });
});

test.describe("refresh", () => {
  test("rotates; reusing a spent token later revokes the whole family", async ({ request, account }) => {
    const first = await apiClientTokens(request, account);
    const second = await (
      await request.post("/api/auth/refresh", { data: { refresh_token: first.refresh_token } })
    ).json();
    expect(second.refresh_token).not.toBe(first.refresh_token);
    const familyId = decodeJwt(first.access_token).sid as string;
    // Push the first token's spending past the grace window.
    await db().refreshToken.updateMany({
      where: { familyId, generation: 1 },
      data: { spentAt: new Date(Date.now() - 60_000) },
    });
    const reuse = await request.post("/api/auth/refresh", { data: { refresh_token: first.refresh_token } });
    expect(reuse.status()).toBe(401);
    expect(await reuse.json()).toMatchObject({
      error: "invalid_grant",
      error_description: expect.stringContaining("whole family is now revoked"),
    });
    const victim = await request.post("/api/auth/refresh", { data: { refresh_token: second.refresh_token } });
    expect(victim.status()).toBe(401);
    expect((await db().refreshFamily.findUniqueOrThrow({ where: { id: familyId } })).revokedReason).toBe(
      "reuse_detected",
    );
  });

  // The reply to a refresh that committed is lost (a crash, a timeout, a
  // phone that changed networks): the client retries with what it has.
  test("a refresh retried after a lost reply gets the same successor, and the family lives on", async ({
    request,
    newAccount: user,
  }) => {
    const first = await apiClientTokens(request, user);
    const lost = await request.post("/api/auth/refresh", { data: { refresh_token: first.refresh_token } });
    expect(lost.status()).toBe(200);
    const lostPair = await lost.json();
    const retry = await request.post("/api/auth/refresh", { data: { refresh_token: first.refresh_token } });
    expect(retry.status()).toBe(200);
    const pair = await retry.json();
    expect(pair.refresh_token).toBe(lostPair.refresh_token);
    expect(pair.access_token).not.toBe(lostPair.access_token);
    const me = await request.get("/api/me", { headers: { authorization: `Bearer ${pair.access_token}` } });
    expect(me.status()).toBe(200);
    const next = await request.post("/api/auth/refresh", { data: { refresh_token: pair.refresh_token } });
    expect(next.status()).toBe(200);
    const familyId = decodeJwt(first.access_token).sid as string;
    expect((await db().refreshFamily.findUniqueOrThrow({ where: { id: familyId } })).revokedAt).toBeNull();
    const refreshed = await db().authEvent.findMany({
      where: {
        userId: (await db().user.findUniqueOrThrow({ where: { email: user.email } })).id,
        type: "token.refreshed",
      },
      orderBy: { createdAt: "asc" },
    });
    expect(refreshed.map((e) => JSON.parse(e.detail ?? "{}").replayed ?? false)).toEqual([false, true, false]);
  });

  test("20 concurrent refreshes with one token leave exactly one live branch, handed to all 20", async ({
    request,
    account,
  }) => {
    const first = await apiClientTokens(request, account);
    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        request.post("/api/auth/refresh", { data: { refresh_token: first.refresh_token } }),
      ),
    );
    expect(responses.map((r) => r.status())).toEqual(Array(20).fill(200));
    const refreshTokens = new Set(await Promise.all(responses.map(async (r) => (await r.json()).refresh_token)));
    expect(refreshTokens.size).toBe(1);
    const familyId = decodeJwt(first.access_token).sid as string;
    expect(await db().refreshToken.count({ where: { familyId, spentAt: null } })).toBe(1);
    expect((await db().refreshFamily.findUniqueOrThrow({ where: { id: familyId } })).revokedAt).toBeNull();
  });
});

test(
  "GET /api/auth/family shows the token's refresh family as stored, and follows its rotation and revocation",
  { tag: "@serial" },
  async ({ request, account }) => {
    const first = await apiClientTokens(request, account);
    const { sid } = decodeJwt(first.access_token) as { sid: string };
    const family = async (accessToken: string) => {
      const answer = await request.get("/api/auth/family", { headers: { authorization: `Bearer ${accessToken}` } });
      expect(answer.status()).toBe(200);
      expect(answer.headers()["cache-control"]).toBe("no-store");
      return answer.json();
    };
    const row = await db().refreshFamily.findUniqueOrThrow({ where: { id: sid } });
    expect(await family(first.access_token)).toMatchObject({
      family: { id: sid, clientId: row.clientId, generation: 1, tokenRows: 1, revokedAt: null },
      revokedAccessTokens: await db().revokedAccessToken.count(),
      denylist: expect.any(Boolean),
    });
    const second = await (
      await request.post("/api/auth/refresh", { data: { refresh_token: first.refresh_token } })
    ).json();
    expect((await family(second.access_token)).family).toMatchObject({ id: sid, generation: 2, tokenRows: 2 });
    await request.post("/api/auth/revoke", { data: { token: second.refresh_token } });
    // The access token still verifies (denylist off): its family shows as revoked.
    expect((await family(second.access_token)).family).toMatchObject({ revokedAt: expect.any(String) });
    expect((await request.get("/api/auth/family")).status()).toBe(401);
  },
);

test.describe("revocation", () => {
  test("revoke answers 200 for anything and revokes the family", async ({ request, account }) => {
    const pair = await apiClientTokens(request, account);
    for (const token of ["garbage", "a.b.c", pair.access_token, pair.access_token]) {
      const r = await request.post("/api/auth/revoke", { data: { token } });
      expect(r.status()).toBe(200);
      expect(await r.json()).toEqual({});
    }
    expect((await request.post("/api/auth/refresh", { data: { refresh_token: pair.refresh_token } })).status()).toBe(
      401,
    );
    const other = await apiClientTokens(request, account);
    expect((await request.post("/api/auth/revoke", { data: { token: other.refresh_token } })).status()).toBe(200);
    expect((await request.post("/api/auth/refresh", { data: { refresh_token: other.refresh_token } })).status()).toBe(
      401,
    );
  });

  // Found by the security review: revoking with an expired access token
  // revoked nothing, so a client that had been offline could not end its family.
  test("revoking with an expired access token still ends its refresh family", async ({ request, account: user }) => {
    const pair = await apiClientTokens(request, user);
    const { sid } = decodeJwt(pair.access_token) as { sid: string };
    const tenMinutesAgo = new Date(Date.now() - 10 * 60_000);
    const { token: expired } = await issueAccessToken(
      { id: user.id, email: user.email },
      { clientId: "api", familyId: sid, ttlMs: 60_000, now: tenMinutesAgo },
    );
    expect((await request.get("/api/me", { headers: bearer(expired) })).status()).toBe(401);
    expect((await request.post("/api/auth/revoke", { data: { token: expired } })).status()).toBe(200);
    expect((await request.post("/api/auth/refresh", { data: { refresh_token: pair.refresh_token } })).status()).toBe(
      401,
    );
    expect((await db().refreshFamily.findUniqueOrThrow({ where: { id: sid } })).revokedReason).toBe("revoked");
  });

  test(
    "revoked access token: still accepted until exp with denylist off, refused at once with it on",
    { tag: "@serial" },
    async ({ request, account, tokens: admin }) => {
      const pair = await signInWithToken(account);
      try {
        await setDenylist(request, admin.accessToken, false);
        await request.post("/api/auth/revoke", { data: { token: pair.accessToken } });
        expect((await request.get("/api/me", { headers: pair.bearer })).status()).toBe(200);
        await setDenylist(request, admin.accessToken, true);
        const refused = await request.get("/api/me", { headers: pair.bearer });
        expect(refused.status()).toBe(401);
        expect(refused.headers()["www-authenticate"]).toContain("was revoked");
        expect((await request.get("/api/me", { headers: admin.bearer })).status()).toBe(200);
      } finally {
        await setDenylist(request, admin.accessToken, false);
        await pair.api.dispose();
      }
    },
  );
});

test(
  "a key rotation in the middle of a request loop fails no request",
  { tag: "@serial" },
  async ({ request, account: user, tokens: before }) => {
    const failures: string[] = [];
    let rotatedKid = "";
    for (let i = 0; i < 40; i++) {
      if (i === 15) {
        rotatedKid = (await rotateSigningKey(new Date(), { immediate: true })).key.kid;
        invalidateKeyCache();
      }
      const fresh = await signInWithToken(user);
      await fresh.api.dispose();
      for (const token of [before.accessToken, fresh.accessToken]) {
        const r = await request.get("/api/me", { headers: bearer(token) });
        if (r.status() !== 200) failures.push(`${i}: ${r.status()} ${await r.text()}`);
      }
      if (i > 15) {
        // A token the new key signed (as another instance would issue it).
        const { issueAccessToken } = await import("@/lib/auth/jwt");
        const { token, kid } = await issueAccessToken(
          { id: user.id, email: user.email },
          { clientId: "api", familyId: decodeJwt(fresh.accessToken).sid as string },
        );
        expect(kid).toBe(rotatedKid);
        const r = await request.get("/api/me", { headers: bearer(token) });
        if (r.status() !== 200) failures.push(`${i} new-key: ${r.status()}`);
      }
    }
    expect(failures).toEqual([]);
    const jwks = await (await request.get("/.well-known/jwks.json")).json();
    expect(jwks.keys.map((k: { kid: string }) => k.kid)).toContain(decodeProtectedHeader(before.accessToken).kid);
  },
);

test.describe("bad bodies on every token endpoint are 4xx, never 5xx", () => {
  for (const path of ["/api/auth/token", "/api/auth/refresh", "/api/auth/revoke"]) {
    test(path, async ({ request }) => {
      const cases: [string, Record<string, string>, number[]][] = [
        ['{"email":', { "content-type": "application/json" }, [400]],
        ["[1,2]", { "content-type": "application/json" }, [400]],
        ['{"email":1,"password":[],"refresh_token":5,"token":{}}', { "content-type": "application/json" }, [400]],
        // RFC 6749 and RFC 7009 prescribe form posts; the JSON-only refresh endpoint refuses them.
        ["a=b", { "content-type": "application/x-www-form-urlencoded" }, path === "/api/auth/refresh" ? [415] : [400]],
        [`{"token":"${"x".repeat(40_000)}"}`, { "content-type": "application/json" }, [413]],
      ];
      for (const [data, headers, allowed] of cases) {
        const r = await request.post(path, { headers, data });
        expect(allowed, `${path} ${data.slice(0, 30)} → ${r.status()}`).toContain(r.status());
      }
    });
  }
});

test("token events are audited; verification failures at most once a minute per address and reason", async ({
  request,
  newAccount: user,
}) => {
  const { requestFrom } = await import("../from-address");
  const pair = await apiClientTokens(request, user);
  const next = await (await request.post("/api/auth/refresh", { data: { refresh_token: pair.refresh_token } })).json();
  await request.post("/api/auth/revoke", { data: { token: next.access_token } });
  const types = (await db().authEvent.findMany({ where: { userId: user.id }, orderBy: { id: "asc" } })).map(
    (e) => e.type,
  );
  expect(types).toEqual(
    expect.arrayContaining(["register", "signin.ok", "token.issued", "token.refreshed", "token.revoked"]),
  );
  // From an address of its own, so no other test's failure counts here.
  const from = "127.0.0.21";
  const before = await db().authEvent.count({ where: { type: "token.invalid", ip: from } });
  for (let i = 0; i < 5; i++)
    expect(
      (await requestFrom(from, `${test.info().project.use.baseURL}/api/me`, { headers: bearer("not-a-jwt") })).status,
    ).toBe(401);
  expect(
    (
      await requestFrom(from, `${test.info().project.use.baseURL}/api/me`, {
        headers: bearer(`${pair.access_token.slice(0, -4)}AAAA`),
      })
    ).status,
  ).toBe(401);
  const events = await db().authEvent.findMany({ where: { type: "token.invalid", ip: from } });
  expect(events.length - before).toBe(2);
  expect(events.map((e) => JSON.parse(e.detail!).reason).sort()).toEqual(["bad_signature", "malformed"]);
});
