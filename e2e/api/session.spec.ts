import { createHash } from "node:crypto";
import { request as playwrightRequest } from "@playwright/test";
import { sealData, unsealData } from "iron-session";
import { db } from "@/lib/db";
import { expect, test } from "../fixtures";
import { apiClientTokens, setCookies, uniqueEmail } from "../helpers";
import { COOKIE_PASSWORD } from "../test-env";

const COOKIE = "svj_session";
const sealPasswords = { "1": COOKIE_PASSWORD };

test.afterAll(() => db().$disconnect());

test.describe("session sign-in (POST /api/session)", () => {
  // Over https (behind a trusted proxy), __Host- and Secure: e2e/api/client-address.spec.ts.
  test("sets an HttpOnly, SameSite=Lax, Path=/ cookie limited to the absolute lifetime", async ({
    request,
    account: user,
  }) => {
    const response = await request.post("/api/session", { data: { email: user.email, password: user.password } });
    expect(response.status()).toBe(200);
    const [cookie] = setCookies(response).filter((c) => c.name === COOKIE);
    expect(cookie?.attributes).toMatchObject({ httponly: true, samesite: "lax", path: "/", "max-age": "28800" });
    expect(cookie?.attributes.secure).toBeUndefined();
    expect(cookie?.value).toMatch(/^Fe26\.2\*1\*/);
    const body = await response.json();
    expect(body.user).toEqual({ id: user.id, email: user.email });
    expect(body.session).toMatchObject({ current: true, tokenHashPrefix: expect.stringMatching(/^[0-9a-f]{12}$/) });
  });

  test("the database holds the token's SHA-256 hash, never the token", async ({ request, newAccount: user }) => {
    const response = await request.post("/api/session", { data: { email: user.email, password: user.password } });
    const sealed = setCookies(response).find((c) => c.name === COOKIE)!.value;
    const { token } = await unsealData<{ token: string }>(sealed, { password: sealPasswords });
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const rows = await db().session.findMany({ where: { userId: user.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.tokenHash).toBe(createHash("sha256").update(token).digest("hex"));
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(await db().session.count({ where: { tokenHash: token } })).toBe(0);
  });

  test("every sign-in makes a new record and ends the browser's previous one", async ({
    request,
    newAccount: user,
  }) => {
    const first = await (
      await request.post("/api/session", { data: { email: user.email, password: user.password } })
    ).json();
    const second = await (
      await request.post("/api/session", { data: { email: user.email, password: user.password } })
    ).json();
    expect(second.session.id).not.toBe(first.session.id);
    const ids = (await db().session.findMany({ where: { userId: user.id } })).map((s) => s.id);
    expect(ids).toEqual([second.session.id]);
  });

  test("unknown email and wrong password get byte-identical answers", async ({ request, newAccount: user }) => {
    const wrongPassword = await request.post("/api/session", {
      data: { email: user.email, password: "not the password" },
    });
    const unknownEmail = await request.post("/api/session", {
      data: { email: uniqueEmail("ghost"), password: "not the password" },
    });
    expect(wrongPassword.status()).toBe(401);
    expect(unknownEmail.status()).toBe(401);
    expect(await wrongPassword.text()).toBe(await unknownEmail.text());
    const strip = (h: Record<string, string>) => ({ ...h, date: "" });
    expect(strip(wrongPassword.headers())).toEqual(strip(unknownEmail.headers()));
    expect(await wrongPassword.json()).toEqual({
      error: "invalid_grant",
      error_description: "Email or password is incorrect.",
    });
  });

  test("repeated failures are throttled with Retry-After, even with the right password", async ({
    request,
    newAccount: user,
  }) => {
    for (let i = 0; i < 6; i++) {
      const r = await request.post("/api/session", { data: { email: user.email, password: `wrong ${i}` } });
      expect(r.status()).toBe(401);
    }
    const blocked = await request.post("/api/session", { data: { email: user.email, password: user.password } });
    expect(blocked.status()).toBe(429);
    expect(Number(blocked.headers()["retry-after"])).toBeGreaterThanOrEqual(1);
    expect(await blocked.json()).toMatchObject({
      error: "throttled",
      error_description: expect.stringMatching(/Try again in \d+ s/),
    });
    // This account's own events: its failures, and the lockout its sixth
    // failure imposed (its detail names the account by a hash prefix).
    expect(await db().authEvent.count({ where: { type: "signin.failed", userId: user.id } })).toBe(6);
    const account = createHash("sha256").update(user.email).digest("hex").slice(0, 12);
    const lockouts = (await db().authEvent.findMany({ where: { type: "throttle.lockout" } })).filter(
      (e) => JSON.parse(e.detail ?? "{}").account === account,
    );
    expect(lockouts.map((e) => JSON.parse(e.detail!))).toEqual([
      expect.objectContaining({ scope: "account", failures: 6, delayMs: 1000 }),
    ]);
  });

  test("bad bodies are 4xx and sign no one in", async ({ request }) => {
    for (const [data, status] of [
      ['{"email":', 400],
      ["[]", 400],
      ['{"email":1,"password":2}', 400],
      [`{"email":"a@b.co","password":"${"x".repeat(20_000)}"}`, 413],
    ] as const) {
      const r = await request.post("/api/session", { headers: { "content-type": "application/json" }, data });
      expect(r.status()).toBe(status);
      expect(setCookies(r)).toEqual([]);
    }
  });
});

test.describe("session-protected routes", () => {
  test("GET /api/session returns the record with Server-Timing, 401 when signed out", async ({
    request,
    account: user,
  }) => {
    const anonymous = await request.get("/api/session");
    expect(anonymous.status()).toBe(401);
    expect(await anonymous.json()).toMatchObject({ error: "login_required" });

    await request.post("/api/session", { data: { email: user.email, password: user.password } });
    const response = await request.get("/api/session");
    expect(response.status()).toBe(200);
    expect(response.headers()["server-timing"]).toMatch(/^auth;desc="session, first sight";dur=\d+\.\d{2}$/);
    const again = await request.get("/api/session");
    expect(again.headers()["server-timing"]).toMatch(/^auth;desc="session, seen before";dur=\d+\.\d{2}$/);
    const body = await response.json();
    const row = await db().session.findUniqueOrThrow({ where: { id: body.session.id } });
    expect(body.session).toMatchObject({
      tokenHashPrefix: row.tokenHash.slice(0, 12),
      createdAt: row.createdAt.toISOString(),
      absoluteExpiresAt: row.absoluteExpiresAt.toISOString(),
      ip: "127.0.0.1",
    });
    expect(JSON.stringify(body)).not.toContain(row.tokenHash);
  });

  // One character of a real seal's field changed (iron's fields:
  // Fe26.2*id*salt*iv*ciphertext*expiry*hmac-salt*hmac~2).
  const changeField = (index: number) => (sealed: string) => {
    const fields = sealed.split("*");
    const field = fields[index]!;
    fields[index] = `${field[0] === "A" ? "B" : "A"}${field.slice(1)}`;
    return fields.join("*");
  };
  for (const [name, mangle] of [
    ["tampered (ciphertext)", changeField(4)],
    ["tampered (HMAC)", changeField(7)],
    ["truncated", (v: string) => v.slice(0, 60)],
    // A real seal of a real token, with the server's id but a password it does not have.
    [
      "sealed with another password",
      async (v: string) => {
        const { token } = await unsealData<{ token: string }>(v, { password: sealPasswords });
        return sealData({ token }, { password: { "1": "a-password-this-server-never-had-0123456789" } });
      },
    ],
    ["garbage", () => "%%%not-a-cookie%%%"],
    ["huge", () => "A".repeat(3000)],
  ] as const) {
    test(`a ${name} cookie is signed out, cleared, never a 5xx`, async ({ request, account: user }) => {
      const signIn = await request.post("/api/session", { data: { email: user.email, password: user.password } });
      const sealed = setCookies(signIn).find((c) => c.name === COOKIE)!.value;
      const fresh = await playwrightRequest.newContext({ baseURL: test.info().project.use.baseURL });
      const mangled = await mangle(sealed);
      expect(mangled).not.toBe(sealed);
      const cookieHeader = { cookie: `${COOKIE}=${mangled}` };
      const api = await fresh.get("/api/session", { headers: cookieHeader });
      expect(api.status()).toBe(401);
      expect(setCookies(api).find((c) => c.name === COOKIE)?.attributes["max-age"]).toBe("0");
      const page = await fresh.get("/account", { headers: cookieHeader, maxRedirects: 0 });
      expect(page.status()).toBe(307);
      expect(page.headers().location).toMatch(/^\/login\?next=%2Faccount/);
      await fresh.dispose();
    });
  }

  test("sign out deletes the record and the cookie; replaying the old cookie fails", async ({
    request,
    newAccount: user,
  }) => {
    const signIn = await request.post("/api/session", { data: { email: user.email, password: user.password } });
    const sealed = setCookies(signIn).find((c) => c.name === COOKIE)!.value;
    const out = await request.delete("/api/session");
    expect(out.status()).toBe(204);
    expect(setCookies(out).find((c) => c.name === COOKIE)?.attributes["max-age"]).toBe("0");
    expect(await db().session.count({ where: { userId: user.id } })).toBe(0);
    const replay = await request.get("/api/session", { headers: { cookie: `${COOKIE}=${sealed}` } });
    expect(replay.status()).toBe(401);
    expect((await replay.json()).error_description).toContain("signed out or revoked");
    // A stale cookie is cleared like a forged one.
    expect(setCookies(replay).find((c) => c.name === COOKIE)?.attributes["max-age"]).toBe("0");
  });

  test("lists my sessions, revokes another device's, refuses someone else's", async ({
    request,
    playwright,
    newAccount: user,
    account: stranger,
  }) => {
    const other = await playwright.request.newContext({ baseURL: test.info().project.use.baseURL });
    await request.post("/api/session", { data: { email: user.email, password: user.password } });
    const otherSession = (
      await (await other.post("/api/session", { data: { email: user.email, password: user.password } })).json()
    ).session;

    const list = await (await request.get("/api/sessions")).json();
    expect(list.sessions).toHaveLength(2);
    expect(list.sessions.filter((s: { current: boolean }) => s.current)).toHaveLength(1);

    const strangerContext = await playwright.request.newContext({ baseURL: test.info().project.use.baseURL });
    await strangerContext.post("/api/session", { data: { email: stranger.email, password: stranger.password } });
    expect((await strangerContext.delete(`/api/sessions/${otherSession.id}`)).status()).toBe(404);
    expect((await other.get("/api/session")).status()).toBe(200);

    expect((await request.delete(`/api/sessions/${otherSession.id}`)).status()).toBe(200);
    expect((await other.get("/api/session")).status()).toBe(401);
    expect((await request.get("/api/session")).status()).toBe(200);
    await other.dispose();
    await strangerContext.dispose();
  });

  // Every request reads its session row after it arrived: nothing caches
  // "this cookie was valid a moment ago". Under 24 requests at once, the
  // first one sent after the revocation was answered is refused, and every
  // one after it.
  test("a revoked session is refused from its next request on, under 24 requests at once", async ({
    request,
    newAccount: user,
  }) => {
    const base = test.info().project.use.baseURL!;
    const signIn = () =>
      fetch(`${base}/api/session`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: user.email, password: user.password }),
      });
    const victim = await signIn();
    const cookie = victim.headers.getSetCookie()[0]!.split(";")[0]!;
    const { session } = (await victim.json()) as { session: { id: string } };
    await request.post("/api/session", { data: { email: user.email, password: user.password } });

    const answers: { sentAt: number; status: number }[] = [];
    let revokedAt = Infinity;
    let stop = false;
    const worker = async () => {
      while (!stop) {
        const sentAt = performance.now();
        const response = await fetch(`${base}/api/session`, { headers: { cookie } });
        await response.arrayBuffer();
        answers.push({ sentAt, status: response.status });
      }
    };
    const workers = Array.from({ length: 24 }, worker);
    // Revoked from the other device once the load has been answered a while.
    await expect.poll(() => answers.filter((a) => a.status === 200).length).toBeGreaterThanOrEqual(48);
    expect((await request.delete(`/api/sessions/${session.id}`)).status()).toBe(200);
    revokedAt = performance.now();
    await expect.poll(() => answers.filter((a) => a.sentAt > revokedAt).length).toBeGreaterThanOrEqual(48);
    stop = true;
    await Promise.all(workers);

    const after = answers.filter((a) => a.sentAt > revokedAt);
    expect(after.map((a) => a.status)).toEqual(after.map(() => 401));
  });

  test("sign out everywhere ends every session and every refresh family of the account", async ({
    request,
    playwright,
    newAccount: user,
  }) => {
    const devices = await Promise.all(
      [1, 2].map(() => playwright.request.newContext({ baseURL: test.info().project.use.baseURL })),
    );
    for (const device of [request, ...devices])
      await device.post("/api/session", { data: { email: user.email, password: user.password } });
    // An API client's token pair (the refresh token in JSON), as a thief might hold it.
    const pair = await apiClientTokens(request, user);
    const response = await request.delete("/api/sessions");
    expect(await response.json()).toEqual({ revoked: 3, revoked_families: 1 });
    const refresh = await request.post("/api/auth/refresh", { data: { refresh_token: pair.refresh_token } });
    expect(refresh.status()).toBe(401);
    expect(await refresh.json()).toMatchObject({ error: "invalid_grant" });
    for (const device of [request, ...devices]) expect((await device.get("/api/session")).status()).toBe(401);
    expect(await db().session.count({ where: { userId: user.id } })).toBe(0);
    await Promise.all(devices.map((d) => d.dispose()));
  });
});

test.describe("CSRF: cookie-authenticated changes refuse cross-site requests", () => {
  const crossSite = [
    ["a foreign Origin", { origin: "https://evil.example" }],
    ["Sec-Fetch-Site: cross-site", { "sec-fetch-site": "cross-site" }],
    ["Sec-Fetch-Site: same-site", { "sec-fetch-site": "same-site" }],
    ["Origin: null", { origin: "null" }],
    // Found by the test audit: one header vouching for the other was enough.
    ["Sec-Fetch-Site: none with a foreign Origin", { "sec-fetch-site": "none", origin: "https://evil.example" }],
    [
      "Sec-Fetch-Site: same-origin with a foreign Origin",
      { "sec-fetch-site": "same-origin", origin: "https://evil.example" },
    ],
  ] as const;
  for (const [name, headers] of crossSite) {
    test(`403 for ${name}, and nothing changes`, async ({ request, account: user }) => {
      await request.post("/api/session", { data: { email: user.email, password: user.password } });
      for (const call of [
        () => request.delete("/api/session", { headers }),
        () => request.delete("/api/sessions", { headers }),
      ]) {
        const r = await call();
        expect(r.status()).toBe(403);
        expect(await r.json()).toMatchObject({ error: "cross_site_request" });
      }
      const login = await request.post("/api/session", {
        headers,
        data: { email: user.email, password: user.password },
      });
      expect(login.status()).toBe(403);
      expect((await request.get("/api/session")).status()).toBe(200);
    });
  }

  test("same-origin requests pass", async ({ request, baseURL, account: user }) => {
    await request.post("/api/session", {
      headers: { origin: baseURL!, "sec-fetch-site": "same-origin" },
      data: { email: user.email, password: user.password },
    });
    expect((await request.delete("/api/session", { headers: { origin: baseURL! } })).status()).toBe(204);
  });
});

// Found by the security review: every visitor shares the demo account, and
// any of them could change its password, sign everyone out, or read other
// visitors' addresses. On a server with demo controls off (the second test
// server), those are refused or hidden.
test("the shared demo account: own session only, and no signing everyone out", async ({ playwright }) => {
  const { SHORT_IDLE_PORT } = await import("../test-env");
  const baseURL = `http://localhost:${SHORT_IDLE_PORT}`;
  const visitor = await playwright.request.newContext({ baseURL });
  const other = await playwright.request.newContext({ baseURL });
  const demo = { email: "demo@example.com", password: "demo-password" };
  for (const context of [other, visitor])
    expect((await context.post("/api/session", { data: demo })).status()).toBe(200);
  const listed = await (await visitor.get("/api/sessions")).json();
  expect(listed.sessions).toHaveLength(1);
  expect(listed.sessions[0].current).toBe(true);
  expect(listed.hidden).toBeGreaterThanOrEqual(1);
  const everywhere = await visitor.delete("/api/sessions");
  expect(everywhere.status()).toBe(403);
  expect(await everywhere.json()).toMatchObject({
    error: "forbidden",
    error_description: expect.stringContaining("shared by every visitor"),
  });
  expect((await other.get("/api/session")).status()).toBe(200);
  await Promise.all([visitor.dispose(), other.dispose()]);
});

test("the cookie inspector takes the cookie apart without handing page script anything it could replay", async ({
  request,
  newAccount: user,
}) => {
  const signIn = await request.post("/api/session", { data: { email: user.email, password: user.password } });
  const sealed = setCookies(signIn).find((c) => c.name === COOKIE)!.value;
  const { token } = await unsealData<{ token: string }>(sealed, { password: sealPasswords });
  const answer = await request.get("/api/session/inspect");
  expect(answer.status()).toBe(200);
  expect(answer.headers()["cache-control"]).toBe("no-store");
  const body = await answer.json();
  const row = await db().session.findFirstOrThrow({ where: { userId: user.id } });
  expect(body).toMatchObject({
    name: COOKIE,
    headerBytes: `${COOKIE}=${sealed}`.length,
    attributes: { httpOnly: true, sameSite: "lax", path: "/", secure: false },
    seal: { ok: true, value: { bytes: sealed.length } },
    unsealed: { tokenLength: token.length, tokenHashPrefix: row.tokenHash.slice(0, 12) },
  });
  expect(body.seal.value.fields.map((f: { name: string }) => f.name)).toEqual(
    expect.arrayContaining(["format", "password id", "encryption salt", "IV", "ciphertext", "HMAC"]),
  );
  const text = await answer.text();
  // Neither the seal, nor any whole random field of it (salts, IV, ciphertext,
  // HMAC), nor the token, nor its full hash.
  const fields = sealed.split("*");
  const randomFields = [fields[2]!, fields[3]!, fields[4]!, fields[6]!, fields[7]!.split("~")[0]!];
  for (const secret of [sealed, token, row.tokenHash, ...randomFields]) expect(text).not.toContain(secret);
});

test("every session-authenticated route answers with Server-Timing, refused or not; /account prints the check", async ({
  request,
  account: user,
}) => {
  const timing = /^auth;desc="session, (none|first sight|seen before)";dur=\d+\.\d{2}$/;
  const routes: [string, () => Promise<import("@playwright/test").APIResponse>][] = [
    ["GET /api/session", () => request.get("/api/session")],
    ["GET /api/session/inspect", () => request.get("/api/session/inspect")],
    ["GET /api/sessions", () => request.get("/api/sessions")],
    ["DELETE /api/sessions/<unknown>", () => request.delete("/api/sessions/00000000-0000-0000-0000-000000000000")],
  ];
  for (const [name, call] of routes)
    expect((await call()).headers()["server-timing"], `${name}, signed out`).toMatch(timing);
  await request.post("/api/session", { data: { email: user.email, password: user.password } });
  for (const [name, call] of routes) {
    const answer = await call();
    expect(answer.status(), name).toBeLessThan(500);
    expect(answer.headers()["server-timing"], name).toMatch(timing);
  }
  const page = await (await request.get("/account")).text();
  expect(page).toMatch(/data-testid="auth-check-ms">\d+\.\d{2}(<!-- -->)? ms<\/span>/);
  for (const [name, call] of [["DELETE /api/session", () => request.delete("/api/session")]] as const) {
    expect((await call()).headers()["server-timing"], name).toMatch(timing);
  }
});
