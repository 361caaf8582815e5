import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { decodeProtectedHeader } from "jose";
import { db } from "@/lib/db";
import { expect, test } from "../fixtures";
import { PASSWORD, uniqueEmail } from "../helpers";
import { requestFrom, sessionCookieOf } from "../from-address";
import { ownServer } from "../own-server";
import { databaseUrl, port, TEST_SERVER_ENV } from "../test-env";

// Claims about secrets and lifetimes that only a running server (and its
// restart) can show. @once: on servers and SQLite databases of their own,
// so scripts/test.ts runs them in the SQLite pass only.
// For the test of the absolute limit, whose point is time passing on the
// server's clock: its requests are placed on a timeline.
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function signUp(base: string) {
  const account = { email: uniqueEmail("own"), password: PASSWORD };
  expect((await requestFrom("127.0.0.1", `${base}/api/auth/register`, { body: account })).status).toBe(201);
  return account;
}

test(
  "a fresh server publishes a signing key before any token exists, and JWT_DENYLIST=on starts it in denylist mode",
  { tag: "@once" },
  async () => {
    test.setTimeout(60_000);
    const server = await ownServer("fresh-denylist-on", 14, { JWT_DENYLIST: "on" });
    try {
      const jwks = await requestFrom("127.0.0.1", `${server.url}/.well-known/jwks.json`);
      expect(jwks.status).toBe(200);
      expect((jwks.json!.keys as unknown[]).length).toBe(1);
      const account = await signUp(server.url);
      const pair = await requestFrom("127.0.0.1", `${server.url}/api/auth/token`, { body: account });
      const bearer = { authorization: `Bearer ${pair.json!.access_token as string}` };
      const mode = await requestFrom("127.0.0.1", `${server.url}/api/auth/denylist`, { headers: bearer });
      expect(mode.json).toMatchObject({ enabled: true });
      // Revocation is immediate from the start: no switch was flipped.
      await requestFrom("127.0.0.1", `${server.url}/api/auth/revoke`, { body: { token: pair.json!.access_token } });
      expect((await requestFrom("127.0.0.1", `${server.url}/api/me`, { headers: bearer })).status).toBe(401);
    } finally {
      await server.stop();
    }
  },
);

test("the absolute session limit ends a session however active it is", { tag: "@once" }, async () => {
  test.setTimeout(60_000);
  // Idle 5 s (renewed at most every 2.5 s), absolute 8 s.
  const server = await ownServer("short-absolute", 11, {
    SESSION_IDLE_TIMEOUT: "5s",
    SESSION_ABSOLUTE_TIMEOUT: "8s",
  });
  try {
    const account = await signUp(server.url);
    const signIn = await requestFrom("127.0.0.1", `${server.url}/api/session`, { body: account });
    const cookie = sessionCookieOf(signIn);
    const started = Date.now();
    // Busy every 1.5 s, past the idle limit: only the renewals keep it alive.
    for (const at of [1500, 3000, 4500, 6000]) {
      await sleep(started + at - Date.now());
      expect(
        (await requestFrom("127.0.0.1", `${server.url}/api/session`, { headers: { cookie } })).status,
        `at ${at} ms`,
      ).toBe(200);
    }
    // 3 s after the last renewal (under the idle limit), past the absolute one.
    await sleep(started + 9000 - Date.now());
    const ended = await requestFrom("127.0.0.1", `${server.url}/api/session`, { headers: { cookie } });
    expect(ended.status).toBe(401);
    expect(ended.json).toMatchObject({
      error: "login_required",
      error_description: "The session reached its 8 s limit.",
    });
  } finally {
    await server.stop();
  }
});

test(
  "a restart with a rotated cookie password (2:new,1:old) signs nobody out, and new cookies use the new one",
  { tag: "@once" },
  async () => {
    test.setTimeout(60_000);
    const old = "1:an-old-cookie-password-0123456789abcdefgh";
    let server = await ownServer("cookie-rotation", 12, { SESSION_PASSWORDS: old });
    const account = await signUp(server.url);
    const cookie = sessionCookieOf(await requestFrom("127.0.0.1", `${server.url}/api/session`, { body: account }));
    expect(cookie).toMatch(/^svj_session=Fe26\.2\*1\*/);
    await server.stop();
    server = await ownServer(
      "cookie-rotation",
      12,
      { SESSION_PASSWORDS: `2:a-new-cookie-password-0123456789abcdefghi,${old}` },
      { keepDatabase: true },
    );
    try {
      expect((await requestFrom("127.0.0.1", `${server.url}/api/session`, { headers: { cookie } })).status).toBe(200);
      const fresh = sessionCookieOf(await requestFrom("127.0.0.1", `${server.url}/api/session`, { body: account }));
      expect(fresh).toMatch(/^svj_session=Fe26\.2\*2\*/);
    } finally {
      await server.stop();
    }
  },
);

test(
  "a server with another AUTH_SECRET cannot use the stored signing keys: it refuses to start, saying so",
  { tag: "@once" },
  async () => {
    test.setTimeout(60_000);
    const server = await ownServer("other-secret", 13, {});
    await signUp(server.url);
    await server.stop();
    const log = "test-results/other-secret.log";
    await expect(
      ownServer(
        "other-secret",
        13,
        { AUTH_SECRET: "a-different-auth-secret-0123456789abcdefgh" },
        { keepDatabase: true },
      ),
    ).rejects.toThrow(/exited with code 1/);
    expect(readFileSync(log, "utf8")).toContain("cannot be decrypted with this AUTH_SECRET");
  },
);

test(
  "npm run keys:rotate publishes a key before it signs; --now makes it sign at once and says what that breaks @once",
  // It rotates the shared server's key: every other service caching the JWKS would see it.
  { tag: "@serial" },
  async ({ request }) => {
    test.setTimeout(90_000);
    // The script's own JWKS max-age, long enough that the scheduled key
    // cannot start signing while the three runs below take their turns (each
    // `npm run` takes seconds on a busy machine; with the test server's 2 s the
    // key once activated before --now, and stayed published as a verifier).
    const rotate = (...args: string[]) =>
      execFileSync("npm", ["run", "--silent", "keys:rotate", ...(args.length ? ["--", ...args] : [])], {
        env: { ...process.env, ...TEST_SERVER_ENV, JWKS_MAX_AGE: "30s", DATABASE_URL: databaseUrl },
        encoding: "utf8",
      });
    const published = async () =>
      ((await (await request.get("/.well-known/jwks.json")).json()).keys as { kid: string }[]).map((key) => key.kid);
    const { issueAccessToken } = await import("@/lib/auth/jwt");
    const { invalidateKeyCache } = await import("@/lib/auth/keys");
    const sign = async () => {
      invalidateKeyCache();
      const { token } = await issueAccessToken(
        { id: "00000000-0000-0000-0000-000000000001", email: "rotated@example.com" },
        { clientId: "api", familyId: "none" },
      );
      return token;
    };

    const scheduled = rotate();
    const kid = /New signing key (\S+) \(ES256\) is in the JWKS now and starts signing at (\S+) \(in (\d+) s\)/.exec(
      scheduled,
    );
    expect(kid, scheduled).toBeTruthy();
    // 30 s of JWKS max-age + 6 s, as stored (the seconds printed count from
    // when the script printed them, later on a busy machine).
    const stored = await db().signingKey.findUniqueOrThrow({ where: { kid: kid![1] } });
    expect(stored.activatesAt!.getTime() - stored.createdAt.getTime()).toBe(36_000);
    expect(Number(kid![3])).toBeLessThanOrEqual(36);
    // The JWKS is at most a second old: the new key is there within moments.
    await expect.poll(published).toContain(kid![1]);
    expect(decodeProtectedHeader(await sign()).kid).not.toBe(kid![1]);
    expect(rotate()).toContain(`A rotation is already scheduled: key ${kid![1]}`);

    const now = rotate("--now");
    const immediate = /New signing key (\S+) \(ES256\) signs now/.exec(now);
    expect(immediate, now).toBeTruthy();
    expect(now).toContain("What this breaks: a service outside this app that cached the JWKS (up to 30 s");
    const token = await sign();
    expect(decodeProtectedHeader(token).kid).toBe(immediate![1]);
    // This app's server meets an unknown kid and reloads its keys at once.
    expect(
      (
        await request.get(`http://localhost:${port}/api/me`, { headers: { authorization: `Bearer ${token}` } })
      ).status(),
    ).toBe(200);
    expect(await published()).toContain(immediate![1]);
    expect(await published()).not.toContain(kid![1]);
  },
);
