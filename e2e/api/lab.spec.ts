import { db } from "@/lib/db";
import { expect, test, type Account } from "../fixtures";
import { hashRefreshToken } from "@/lib/auth/refresh";
import { origin, SHORT_IDLE_PORT } from "../test-env";

// The strategies lab over real sockets (lib/showcase/lab.ts,
// docs/strategies.md): each strategy signs the same kind of account in,
// answers who it is with the store reads the server counted at its
// database seam, and revokes as far as its design lets it. Requests are
// made with Node's fetch, which keeps no cookies: each test says exactly
// which credential it presents, as a copy taken by an attacker would be.
test.afterAll(() => db().$disconnect());

type Replay = Record<string, string>;

const lab = (strategy: string, step: string) => `${origin}/api/lab/${strategy}/${step}`;

async function call(url: string, init: { method?: string; headers?: Replay; body?: unknown } = {}) {
  const response = await fetch(url, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers: { ...(init.body !== undefined && { "content-type": "application/json" }), ...init.headers },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: text ? JSON.parse(text) : null };
}

// The credential a sign-in handed out, as the headers that present it:
// the cookies it set, or the access token it answered.
function credentialOf(signIn: Awaited<ReturnType<typeof call>>): Replay {
  if (signIn.json?.access_token) return { authorization: `Bearer ${signIn.json.access_token}` };
  const pairs = signIn.headers.getSetCookie().map((line) => line.split(";")[0]!);
  return { cookie: pairs.join("; ") };
}

async function signIn(strategy: string, user: Account): Promise<Replay> {
  const answer = await call(lab(strategy, "sign-in"), { body: { email: user.email, password: user.password } });
  expect(answer.status, JSON.stringify(answer.json)).toBe(200);
  return credentialOf(answer);
}

const me = (strategy: string, credential: Replay) => call(lab(strategy, "me"), { headers: credential });
const revoke = (strategy: string, credential: Replay) =>
  call(lab(strategy, "revoke"), { method: "POST", headers: credential });

test("GET /api/lab names each strategy with how its credential travels and where its state lives", async () => {
  const answer = await call(`${origin}/api/lab`);
  expect(answer.status).toBe(200);
  const byName = Object.fromEntries(
    (answer.json.strategies as { name: string; transport: string; state: string }[]).map((s) => [
      s.name,
      [s.transport, s.state],
    ]),
  );
  expect(byName).toEqual({
    "server-session": ["cookie", "server"],
    "sealed-cookie": ["cookie", "token"],
    "sealed-cookie-stamp": ["cookie", "both"],
    "cookie-cache": ["cookie", "both"],
    "bearer-jwt": ["header", "token"],
    "opaque-bearer": ["header", "server"],
    bff: ["cookie", "server"],
  });
});

// What each design reads per check, counted by the server at its database
// seam (denylist mode is off outside the @serial tests).
const READS: [string, number][] = [
  ["server-session", 1],
  ["sealed-cookie", 0],
  ["sealed-cookie-stamp", 1],
  ["cookie-cache", 0],
  ["bearer-jwt", 0],
  ["opaque-bearer", 1],
  // Plus its call to the resource server, with the token it holds.
  ["bff", 1],
];

for (const [strategy, reads] of READS) {
  test(`${strategy}: signs in, answers who it is, ${reads} store read${reads === 1 ? "" : "s"} a check`, async ({
    newAccount: user,
  }) => {
    const credential = await signIn(strategy, user);
    for (let i = 0; i < 3; i++) {
      const answer = await me(strategy, credential);
      expect(answer.status).toBe(200);
      expect(answer.json).toMatchObject({
        strategy,
        sub: user.id,
        email: user.email,
        store_reads: reads,
        service_calls: strategy === "bff" ? 1 : 0,
      });
      expect(answer.headers.get("server-timing")).toMatch(new RegExp(`^auth;desc="${strategy}, [a-z ]+";dur=[\\d.]+$`));
    }
    expect((await me(strategy, {})).status).toBe(401);
  });
}

test("cookie strategies: HttpOnly, SameSite=Lax cookies sent only to their own strategy's routes", async ({
  newAccount: user,
}) => {
  for (const strategy of ["server-session", "sealed-cookie", "sealed-cookie-stamp", "cookie-cache", "bff"]) {
    const answer = await call(lab(strategy, "sign-in"), { body: { email: user.email, password: user.password } });
    const lines = answer.headers.getSetCookie();
    expect(lines.length).toBe(strategy === "cookie-cache" ? 2 : 1);
    for (const line of lines) {
      expect(line).toMatch(/^svj_lab_[a-z_]+=Fe26\.2\*/);
      expect(line).toContain(`Path=/api/lab/${strategy};`);
      expect(line).toMatch(/; HttpOnly/i);
      expect(line).toMatch(/; SameSite=lax/i);
    }
    expect(answer.json).toEqual({ strategy, sub: user.id, email: user.email, store_writes: expect.any(Number) });
  }
});

test("a credential of one strategy is not accepted by another, even under its cookie name", async ({
  newAccount: user,
}) => {
  const sealed = (await signIn("sealed-cookie", user)).cookie!.split("=").slice(1).join("=");
  const cached = await signIn("cookie-cache", user);
  const copy = cached.cookie!.split("; ").find((pair) => pair.startsWith("svj_lab_cookie_cache_copy="))!;
  const copyValue = copy.slice(copy.indexOf("=") + 1);
  // A sealed session where a session token's seal is expected, and a
  // cache copy where a sealed session is expected.
  expect((await me("server-session", { cookie: `svj_lab_server_session=${sealed}` })).status).toBe(401);
  expect((await me("sealed-cookie", { cookie: `svj_lab_sealed_cookie=${copyValue}` })).status).toBe(401);
  // A copy made for one session does not answer beside another session's cookie.
  const other = await signIn("cookie-cache", user);
  const otherSession = other.cookie!.split("; ").find((pair) => pair.startsWith("svj_lab_cookie_cache="))!;
  const mixed = await me("cookie-cache", { cookie: `${otherSession}; ${copy}` });
  expect(mixed.status).toBe(200);
  expect(mixed.json.store_reads).toBe(1);
  // The real session token of a cookie strategy is not a bearer token of opaque-bearer.
  expect((await me("opaque-bearer", { authorization: `Bearer ${sealed}` })).status).toBe(401);
});

test.describe("revocation, as far as each design can", () => {
  test("server-session and opaque-bearer: refused from the next request, the row gone", async ({
    newAccount: user,
  }) => {
    for (const strategy of ["server-session", "opaque-bearer"]) {
      const credential = await signIn(strategy, user);
      const before = await db().session.count({ where: { userId: user.id } });
      const answer = await revoke(strategy, credential);
      expect(answer.status).toBe(200);
      expect(answer.json).toEqual({ strategy, revoked: true, still_valid_until: null });
      expect(await db().session.count({ where: { userId: user.id } })).toBe(before - 1);
      const replay = await me(strategy, credential);
      expect(replay.status).toBe(401);
      if (strategy === "opaque-bearer") expect(replay.headers.get("www-authenticate")).toContain("invalid_token");
    }
  });

  test("sealed-cookie: nothing to revoke; a copy is still accepted, until the seal's own expiry", async ({
    newAccount: user,
  }) => {
    const signedInAt = Date.now();
    const credential = await signIn("sealed-cookie", user);
    const answer = await revoke("sealed-cookie", credential);
    expect(answer.status).toBe(200);
    expect(answer.json.revoked).toBe(false);
    // SESSION_ABSOLUTE_TIMEOUT: 8 h.
    const until = Date.parse(answer.json.still_valid_until);
    expect(until).toBeGreaterThanOrEqual(signedInAt + 8 * 3600_000 - 1000);
    expect(until).toBeLessThanOrEqual(Date.now() + 8 * 3600_000);
    expect(answer.headers.getSetCookie()[0]).toMatch(/^svj_lab_sealed_cookie=;.*Max-Age=0/);
    const replay = await me("sealed-cookie", credential);
    expect(replay.status).toBe(200);
    expect(replay.json.store_reads).toBe(0);
  });

  test("sealed-cookie-stamp: the stamp refuses every earlier cookie of the user, and only those", async ({
    newAccount: user,
  }) => {
    const first = await signIn("sealed-cookie-stamp", user);
    const second = await signIn("sealed-cookie-stamp", user);
    const answer = await revoke("sealed-cookie-stamp", first);
    expect(answer.json).toEqual({ strategy: "sealed-cookie-stamp", revoked: true, still_valid_until: null });
    expect((await me("sealed-cookie-stamp", first)).status).toBe(401);
    // One stamp per user: the other device's cookie goes too.
    expect((await me("sealed-cookie-stamp", second)).status).toBe(401);
    // The plain design does not read the stamp.
    expect((await me("sealed-cookie", await signIn("sealed-cookie", user))).status).toBe(200);
    const after = await signIn("sealed-cookie-stamp", user);
    expect((await me("sealed-cookie-stamp", after)).json.store_reads).toBe(1);
  });

  test("cookie-cache: a copy answers without the store until it goes stale, then the missing row ends it", async ({
    newAccount: user,
  }) => {
    const credential = await signIn("cookie-cache", user);
    const answer = await revoke("cookie-cache", credential);
    expect(answer.json.revoked).toBe(true);
    const until = Date.parse(answer.json.still_valid_until);
    // LAB_COOKIE_CACHE_TTL is 3 s on the test servers.
    expect(until - Date.now()).toBeLessThanOrEqual(3000);
    const accepted: number[] = [];
    let refusal: Awaited<ReturnType<typeof me>> | null = null;
    while (!refusal) {
      // When it was sent: the server checks it after, so one accepted was sent before the copy went stale.
      const sentAt = Date.now();
      const replay = await me("cookie-cache", credential);
      if (replay.status === 200) {
        expect(replay.json.store_reads).toBe(0);
        accepted.push(sentAt);
      } else refusal = replay;
      if (Date.now() > until + 5000) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(accepted.length).toBeGreaterThan(0);
    expect(Math.max(...accepted)).toBeLessThan(until);
    expect(refusal?.status).toBe(401);
    // Both cookies are cleared on the refusal.
    expect(refusal!.headers.getSetCookie().map((line) => line.split("=")[0])).toEqual([
      "svj_lab_cookie_cache",
      "svj_lab_cookie_cache_copy",
    ]);
  });

  test("cookie-cache: a stale copy reads the row once and is sealed again", async ({ newAccount: user }) => {
    const credential = await signIn("cookie-cache", user);
    const session = credential.cookie!.split("; ").find((pair) => pair.startsWith("svj_lab_cookie_cache="))!;
    const stale = await me("cookie-cache", { cookie: session });
    expect(stale.json.store_reads).toBe(1);
    const fresh = stale.headers.getSetCookie().find((line) => line.startsWith("svj_lab_cookie_cache_copy="))!;
    const again = await me("cookie-cache", { cookie: `${session}; ${fresh.split(";")[0]}` });
    expect(again.json.store_reads).toBe(0);
    expect(again.headers.getSetCookie()).toEqual([]);
  });

  test("bearer-jwt: with denylist mode off, a revoked access token is accepted until its exp", async ({
    newAccount: user,
  }) => {
    const credential = await signIn("bearer-jwt", user);
    const answer = await revoke("bearer-jwt", credential);
    expect(answer.json.revoked).toBe(true);
    const exp = JSON.parse(Buffer.from(credential.authorization!.split(".")[1]!, "base64url").toString()).exp;
    expect(answer.json.still_valid_until).toBe(new Date(exp * 1000).toISOString());
    expect((await me("bearer-jwt", credential)).status).toBe(200);
  });

  test(
    "bearer-jwt: with denylist mode on, refused at once (and the check reads the denylist)",
    { tag: "@serial" },
    async ({ request, newAccount: user, tokens: admin }) => {
      const switchTo = (enabled: boolean) =>
        request.put("/api/auth/denylist", { headers: admin.bearer, data: { enabled } });
      try {
        expect((await switchTo(true)).status()).toBe(200);
        const credential = await signIn("bearer-jwt", user);
        expect((await me("bearer-jwt", credential)).json.store_reads).toBe(1);
        const answer = await revoke("bearer-jwt", credential);
        expect(answer.json).toEqual({ strategy: "bearer-jwt", revoked: true, still_valid_until: null });
        expect((await me("bearer-jwt", credential)).status).toBe(401);
      } finally {
        await switchTo(false);
      }
    },
  );
});

test.describe("bff: the server holds the tokens, the browser a session cookie", () => {
  // Every run of 20 or more token characters in what the browser received.
  const candidates = (answers: Awaited<ReturnType<typeof call>>[]) =>
    answers.flatMap((answer) => {
      const text =
        JSON.stringify(answer.json) + [...answer.headers].map(([name, value]) => `${name}: ${value}`).join("\n");
      return text.match(/[A-Za-z0-9_\-.]{20,}/g) ?? [];
    });

  test("no access or refresh token in anything the browser receives; revoked at once, tokens and all", async ({
    newAccount: user,
  }) => {
    const signInAnswer = await call(lab("bff", "sign-in"), { body: { email: user.email, password: user.password } });
    expect(signInAnswer.status).toBe(200);
    const credential = credentialOf(signInAnswer);
    const checks = [await me("bff", credential), await me("bff", credential)];
    const family = await db().refreshFamily.findFirstOrThrow({
      where: { userId: user.id, clientId: "bff" },
      include: { tokens: true },
    });
    const row = await db().session.findFirstOrThrow({ where: { userId: user.id } });
    // Held encrypted: neither token is readable in the row.
    expect(row.heldTokens).toMatch(/^v1\./);
    expect(row.heldTokens).not.toContain("eyJ");
    const revocation = await revoke("bff", credential);
    expect(revocation.json).toEqual({ strategy: "bff", revoked: true, still_valid_until: null });
    const received = candidates([signInAnswer, ...checks, revocation]);
    // No JWT (they all begin with the base64url of '{"'), and no refresh token of this user's.
    expect(received.filter((text) => text.startsWith("eyJ"))).toEqual([]);
    const refreshHashes = new Set(family.tokens.map((token) => token.tokenHash));
    expect(received.filter((text) => refreshHashes.has(hashRefreshToken(text)))).toEqual([]);

    expect((await me("bff", credential)).status).toBe(401);
    expect(await db().session.count({ where: { id: row.id } })).toBe(0);
    // The tokens it held are ended with it: the family revoked, the access token denylisted.
    const ended = await db().refreshFamily.findUniqueOrThrow({ where: { id: family.id } });
    expect(ended.revokedAt).not.toBeNull();
    const revoked = await db().authEvent.findFirstOrThrow({ where: { userId: user.id, type: "token.revoked" } });
    const { jti } = JSON.parse(revoked.detail!) as { jti: string; family: string };
    expect(await db().revokedAccessToken.count({ where: { jti } })).toBe(1);
  });

  test("an access token near its expiry is refreshed by the server, unseen by the browser", async ({
    newAccount: user,
  }) => {
    // The second test server: 5-second access tokens, refreshed with a quarter of their life left.
    const short = (step: string) => `http://localhost:${SHORT_IDLE_PORT}/api/lab/bff/${step}`;
    const signInAnswer = await call(short("sign-in"), { body: { email: user.email, password: user.password } });
    const credential = credentialOf(signInAnswer);
    const fresh = await call(short("me"), { headers: credential });
    expect(fresh.json).toMatchObject({ sub: user.id, store_reads: 1, service_calls: 1 });
    await expect
      .poll(
        async () => {
          const answer = await call(short("me"), { headers: credential });
          expect(answer.status).toBe(200);
          expect(candidates([answer]).filter((text) => text.startsWith("eyJ"))).toEqual([]);
          return db().refreshToken.count({ where: { family: { userId: user.id, clientId: "bff" } } });
        },
        { intervals: [500], timeout: 10_000 },
      )
      .toBe(2);
    // Nothing changed for the browser: the same cookie still signs it in.
    expect((await call(short("me"), { headers: credential })).status).toBe(200);
  });

  test("a session whose tokens were revoked elsewhere ends when it next needs them", async ({ newAccount: user }) => {
    const short = (step: string) => `http://localhost:${SHORT_IDLE_PORT}/api/lab/bff/${step}`;
    const credential = credentialOf(
      await call(short("sign-in"), { body: { email: user.email, password: user.password } }),
    );
    await db().refreshFamily.updateMany({
      where: { userId: user.id, clientId: "bff" },
      data: { revokedAt: new Date(), revokedReason: "revoked" },
    });
    // Until the held access token is due for a refresh, the service still accepts it (its check is stateless).
    await expect
      .poll(async () => (await call(short("me"), { headers: credential })).status, {
        intervals: [500],
        timeout: 10_000,
      })
      .toBe(401);
    expect(await db().session.count({ where: { userId: user.id } })).toBe(0);
  });
});

test("cookie strategies refuse cross-site sign-ins and revocations; header strategies need no such check", async ({
  newAccount: user,
}) => {
  const foreign = { origin: "http://evil.example", "sec-fetch-site": "cross-site" };
  const body = { email: user.email, password: user.password };
  const credential = await signIn("server-session", user);
  expect((await call(lab("server-session", "sign-in"), { body, headers: foreign })).status).toBe(403);
  const crossRevoke = await call(lab("server-session", "revoke"), {
    method: "POST",
    headers: { ...credential, ...foreign },
  });
  expect(crossRevoke.status).toBe(403);
  expect((await me("server-session", credential)).status).toBe(200);
  const bearer = await signIn("opaque-bearer", user);
  expect(
    (await call(lab("opaque-bearer", "revoke"), { method: "POST", headers: { ...bearer, ...foreign } })).status,
  ).toBe(200);
});

test("an unknown strategy is 404", async () => {
  expect((await call(lab("magic-link", "me"))).status).toBe(404);
  expect((await call(`${origin}/api/lab/server-session/elsewhere`)).status).toBe(404);
});

test.describe("claims in the credential: where each stops fitting", () => {
  const withClaims = async (strategy: string, user: Account, claimsBytes: number) =>
    call(lab(strategy, "sign-in"), {
      body: { email: user.email, password: user.password, claims_bytes: claimsBytes },
    });

  test("a sealed cookie grows with its claims, and is not set once no browser would keep it", async ({
    newAccount: user,
  }) => {
    const small = credentialOf(await withClaims("sealed-cookie", user, 0));
    const answer = await withClaims("sealed-cookie", user, 2048);
    expect(answer.status).toBe(200);
    const big = credentialOf(answer);
    // Random claims: 4 characters of seal for every 3 bytes sealed.
    expect(big.cookie!.length - small.cookie!.length).toBeGreaterThanOrEqual(Math.floor((2048 * 4) / 3));
    expect((await me("sealed-cookie", big)).json).toMatchObject({ sub: user.id });
    // Over the 4096 bytes of name and value a browser keeps: refused, nothing set.
    const over = await withClaims("sealed-cookie", user, 3072);
    expect(over.status).toBe(400);
    expect(over.json.error_description).toMatch(
      /^The cookie would be 4\d{3} bytes \(name and value\); a browser keeps at most 4096/,
    );
    expect(over.headers.getSetCookie()).toEqual([]);
  });

  test("an access token's claims: this app's check refuses a token over 4096 characters, Node a request over 16 KiB of headers", async ({
    newAccount: user,
  }) => {
    const fits = credentialOf(await withClaims("bearer-jwt", user, 2048));
    expect(fits.authorization!.length).toBeLessThan(4096);
    expect((await me("bearer-jwt", fits)).status).toBe(200);
    const long = credentialOf(await withClaims("bearer-jwt", user, 4096));
    const refused = await me("bearer-jwt", long);
    expect(refused.status).toBe(401);
    expect(refused.json.error_description).toMatch(/longer than 4096/);
    const huge = credentialOf(await withClaims("bearer-jwt", user, 16_384));
    expect(huge.authorization!.length).toBeGreaterThan(16_384);
    expect((await me("bearer-jwt", huge)).status).toBe(431);
  });

  test("a credential that only names server state takes no claims; sizes out of range are refused", async ({
    newAccount: user,
  }) => {
    for (const strategy of ["server-session", "cookie-cache", "opaque-bearer", "bff"]) {
      const answer = await withClaims(strategy, user, 1024);
      expect(answer.status, strategy).toBe(400);
      expect(answer.json.error_description).toMatch(/carries no claims/);
    }
    for (const claims of [-1, 1.5, 16_385, "1024"]) {
      expect((await withClaims("sealed-cookie", user, claims as number)).status).toBe(400);
    }
    const listed = (await call(`${origin}/api/lab`)).json.strategies as { name: string; carries_claims: boolean }[];
    expect(listed.filter((s) => s.carries_claims).map((s) => s.name)).toEqual([
      "sealed-cookie",
      "sealed-cookie-stamp",
      "bearer-jwt",
    ]);
  });
});
