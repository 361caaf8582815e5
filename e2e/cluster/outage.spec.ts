// Database unavailable: the gate between the instances and
// PostgreSQL refuses connections (the server is gone) or stops answering
// (the host or network is gone). Session checks fail closed with 503, JWT
// checks keep serving from the token alone unless denylist mode is on,
// nothing signs in, and when the database is back everything works again
// without a restart, with every row written before still there.
import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { Cluster } from "./cluster";
import type { Instance } from "@/scripts/instances";
import { actionId } from "../helpers";
import { bearer, call, register, signInSession, signInToken, withCookie, type Account, type TokenPair } from "./http";

test.describe.configure({ mode: "serial" });

let cluster: Cluster;
let user: Account;
let session: { cookie: string; sessionId: string };
let tokens: TokenPair;

async function rowCounts() {
  const { db } = await import("@/lib/db");
  return {
    users: await db().user.count(),
    sessions: await db().session.count(),
    families: await db().refreshFamily.count(),
    refreshTokens: await db().refreshToken.count(),
    keys: await db().signingKey.count(),
  };
}

test.beforeAll(async () => {
  cluster = await Cluster.start("outage", { slot: 1 });
  const [a] = cluster.instances;
  user = { email: `outage-${randomUUID()}@example.com`, password: "a test password" };
  await register(a!, user);
  session = await signInSession(a!, user);
  tokens = await signInToken(a!, user);
});
test.afterAll(async () => {
  cluster?.gate.open();
  await cluster?.close();
});

function expectUnavailable(
  answer: { status: number; json: Record<string, unknown> | null; headers: Headers },
  what: string,
) {
  expect(answer.status, what).toBe(503);
  expect(answer.json, what).toMatchObject({ error: "temporarily_unavailable" });
  expect(answer.headers.get("retry-after"), what).toBe("5");
}

async function expectOutageAnswers(instance: Instance): Promise<void> {
  const who = `on ${instance.name}`;
  const [
    check,
    list,
    signOut,
    page,
    signedOutPage,
    me,
    forged,
    tokenSignIn,
    sessionSignIn,
    refresh,
    registration,
    health,
    formPost,
  ] = await Promise.all([
    call(instance, "/api/session", { headers: withCookie(session.cookie) }),
    call(instance, "/api/sessions", { headers: withCookie(session.cookie) }),
    call(instance, "/api/session", { method: "DELETE", headers: withCookie(session.cookie) }),
    call(instance, "/account", { headers: withCookie(session.cookie) }),
    call(instance, "/account"),
    call(instance, "/api/me", { headers: bearer(tokens.access_token) }),
    call(instance, "/api/me", { headers: bearer(`${tokens.access_token}x`) }),
    call(instance, "/api/auth/token", { body: user }),
    call(instance, "/api/session", { body: user }),
    call(instance, "/api/auth/refresh", { body: { refresh_token: tokens.refresh_token } }),
    call(instance, "/api/auth/register", {
      body: { email: `new-${randomUUID()}@example.com`, password: "a test password" },
    }),
    call(instance, "/api/health"),
    // "Sign out everywhere" as the page's form sends it.
    call(instance, "/account/devices", {
      method: "POST",
      headers: {
        ...withCookie(session.cookie),
        "next-action": actionId("signOutEverywhereAction"),
        "content-type": "text/plain;charset=UTF-8",
      },
      raw: "[]",
    }),
  ]);
  expectUnavailable(check, `session check ${who}`);
  expectUnavailable(list, `session list ${who}`);
  expectUnavailable(signOut, `sign-out ${who}`);
  expect(signOut.headers.getSetCookie(), "the cookie is kept: the record could not be deleted").toEqual([]);

  expect(page.status, `account page ${who}`).toBe(503);
  expect(page.headers.get("content-type")).toContain("text/html");
  expect(page.text).toContain("The database is unavailable");
  expect(page.text).not.toContain(user.email);
  expect(page.text).not.toMatch(/node_modules|at .+\(.+:\d+:\d+\)/);
  // Signed out, the page needs no database: straight to sign-in.
  expect(signedOutPage.status).toBe(307);

  expect(me.status, `JWT check ${who}`).toBe(200);
  expect(me.json).toMatchObject({ email: user.email });
  expect(forged.status).toBe(401);

  expectUnavailable(tokenSignIn, `token sign-in ${who}`);
  expectUnavailable(sessionSignIn, `session sign-in ${who}`);
  expectUnavailable(refresh, `refresh ${who}`);
  expectUnavailable(registration, `register ${who}`);
  expect(health.status, "liveness does not depend on the database").toBe(200);
  expect(formPost.status, `a session page's form ${who}`).toBe(503);
  expect(formPost.headers.getSetCookie(), "nothing signed out on the client only").toEqual([]);
}

for (const mode of ["refuse", "blackhole"] as const) {
  test(`database ${mode === "refuse" ? "refusing connections" : "not answering"}: sessions 503, JWTs 200, sign-in 503; back without a restart`, async () => {
    const before = await rowCounts();
    cluster.gate.shut(mode);
    try {
      // All at once: when the database does not answer, each waits DATABASE_TIMEOUT.
      await Promise.all(cluster.instances.map((instance) => expectOutageAnswers(instance)));
    } finally {
      cluster.gate.open();
    }

    // "At the next request": the very first one after the gate opens answers.
    for (const instance of cluster.instances) {
      expect(
        (await call(instance, "/api/session", { headers: withCookie(session.cookie) })).status,
        `first session check on ${instance.name}`,
      ).toBe(200);
      expect((await call(instance, "/account", { headers: withCookie(session.cookie) })).status).toBe(200);
      expect((await call(instance, "/api/me", { headers: bearer(tokens.access_token) })).status).toBe(200);
    }
    // The refresh token refused during the outage was not spent by it.
    const refreshed = await call(cluster.instances[1]!, "/api/auth/refresh", {
      body: { refresh_token: tokens.refresh_token },
    });
    expect(refreshed.status).toBe(200);
    tokens = refreshed.json as unknown as TokenPair;
    for (const instance of cluster.instances)
      expect((await call(instance, "/api/me", { headers: bearer(tokens.access_token) })).status).toBe(200);
    expect(await rowCounts()).toEqual({ ...before, refreshTokens: before.refreshTokens + 1 });
    expect((await call(cluster.instances[0]!, "/api/auth/token", { body: user })).status).toBe(200);
  });
}

test("denylist mode fails closed: a token cannot be checked against the denylist without the database", async () => {
  const [a, b] = cluster.instances;
  expect(
    (
      await call(a!, "/api/auth/denylist", {
        method: "PUT",
        body: { enabled: true },
        headers: bearer(tokens.access_token),
      })
    ).status,
  ).toBe(200);
  try {
    const revoked = await signInToken(a!, user);
    await call(a!, "/api/auth/revoke", { body: { token: revoked.access_token } });
    // Both instances have picked up the switch (re-read every 2 s).
    for (const instance of [a!, b!]) {
      await expect
        .poll(async () => (await call(instance, "/api/me", { headers: bearer(revoked.access_token) })).status, {
          timeout: 5000,
        })
        .toBe(401);
    }
    cluster.gate.shut("refuse");
    try {
      for (const instance of [a!, b!])
        expectUnavailable(
          await call(instance, "/api/me", { headers: bearer(tokens.access_token) }),
          `denylist check on ${instance.name}`,
        );
    } finally {
      cluster.gate.open();
    }
    for (const instance of [a!, b!]) {
      expect(
        (await call(instance, "/api/me", { headers: bearer(tokens.access_token) })).status,
        `first token check on ${instance.name}`,
      ).toBe(200);
      expect((await call(instance, "/api/me", { headers: bearer(revoked.access_token) })).status).toBe(401);
    }
  } finally {
    await call(a!, "/api/auth/denylist", {
      method: "PUT",
      body: { enabled: false },
      headers: bearer(tokens.access_token),
    });
  }
});

// The separate service checks tokens with the keys it fetched, so it keeps
// answering while this app's sessions fail closed; asking the app about
// revocation (introspection) cannot be answered, and says so.
test("another service keeps accepting access tokens while the database is gone; introspection fails closed", async () => {
  const service = await cluster.startResourceServer();
  try {
    const whoami = (query = "") => call(service, `/whoami${query}`, { headers: bearer(tokens.access_token) });
    expect((await whoami()).status).toBe(200);
    expect((await whoami("?introspect=1")).status).toBe(200);
    cluster.gate.shut("refuse");
    try {
      const [a] = cluster.instances;
      expectUnavailable(await call(a!, "/api/session", { headers: withCookie(session.cookie) }), "session check");
      // The keys are still served, from memory, marked not to be kept: a
      // key another instance scheduled meanwhile may be missing from them.
      // (A set read less than a second ago is served as fresh, so this
      // waits for the set in memory to be older than that.)
      await expect
        .poll(async () => {
          const keys = await call(a!, "/.well-known/jwks.json");
          return `${keys.status} ${keys.headers.get("cache-control")}`;
        })
        .toBe("200 public, max-age=0");
      const stateless = await whoami();
      expect(stateless.status).toBe(200);
      expect(stateless.json).toMatchObject({ email: user.email, verified_by: "jwks" });
      const asked = await whoami("?introspect=1");
      expect(asked.status).toBe(503);
      expect(asked.json).toMatchObject({ error: "temporarily_unavailable" });
    } finally {
      cluster.gate.open();
    }
    expect((await whoami("?introspect=1")).status).toBe(200);
  } finally {
    await service.stop();
  }
});

test("in a browser: the account page says the database is unavailable, the sign-in form says so too, and both recover", async ({
  page,
  context,
}) => {
  const [a] = cluster.instances;
  const [name, value] = session.cookie.split("=") as [string, string];
  await context.addCookies([{ name, value, url: a!.url }]);
  cluster.gate.shut("refuse");
  try {
    const response = await page.goto(`${a!.url}/account`);
    expect(response?.status()).toBe(503);
    await expect(page.getByRole("heading", { name: "Service unavailable" })).toBeVisible();
    await expect(page.getByTestId("error-description")).toContainText("The database is unavailable");

    await page.goto(`${a!.url}/login`);
    await expect(page.getByTestId("session-store-unavailable")).toBeVisible();
    await expect(page.getByTestId("session-unavailable")).toHaveText("Session store unavailable");
    await page.getByLabel("Email").fill(user.email);
    await page.getByLabel("Password").fill(user.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByTestId("login-error")).toContainText("The database is unavailable");
  } finally {
    cluster.gate.open();
  }
  await expect
    .poll(async () => (await call(a!, "/api/session", { headers: withCookie(session.cookie) })).status, {
      timeout: 15_000,
    })
    .toBe(200);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/:\d+\/account$/);
  await expect(page.getByTestId("account-email")).toHaveText(user.email);
});

test("during an outage, pages without session data still render and say the session store is unavailable; a token from a key this instance never saw is 503", async ({
  page,
  context,
}) => {
  const [a] = cluster.instances;
  // A key created elsewhere just now (another instance's rotation), and a token it signed.
  const { rotateSigningKey, getSigningKey, invalidateKeyCache } = await import("@/lib/auth/keys");
  const { issueAccessToken } = await import("@/lib/auth/jwt");
  await rotateSigningKey(new Date(), { immediate: true });
  invalidateKeyCache();
  const { token, kid } = await issueAccessToken(
    { id: randomUUID(), email: user.email },
    { clientId: "api", familyId: randomUUID() },
  );
  expect(kid).toBe((await getSigningKey()).kid);
  const [name, value] = session.cookie.split("=") as [string, string];
  await context.addCookies([{ name, value, url: a!.url }]);
  cluster.gate.shut("refuse");
  try {
    for (const path of ["/", "/docs", "/dashboard", "/lab"]) {
      const response = await page.goto(`${a!.url}${path}`);
      expect(response?.status(), path).toBe(200);
      await expect(page.getByTestId("session-unavailable"), path).toHaveText("Session store unavailable");
    }
    const unknownKey = await call(a!, "/api/me", { headers: bearer(token) });
    expectUnavailable(unknownKey, "a token from a key this instance cannot look up");
  } finally {
    cluster.gate.open();
  }
  expect((await call(a!, "/api/me", { headers: bearer(token) })).status).toBe(200);
});
