import type { APIRequestContext } from "@playwright/test";
import { db } from "@/lib/db";
import { expect, signInWithToken, test, type Account } from "../fixtures";
import { PASSWORD } from "../helpers";
import { resourceServer } from "../resource-server";
import { streamFrom } from "../from-address";
import { origin, SHORT_IDLE_PORT } from "../test-env";

// A session for the tests whose caller is a browser session (the others
// call with an access token from the fixtures: `tokens`, signInWithToken).
async function signInWithSession(context: APIRequestContext, account: Account) {
  const answer = await context.post("/api/session", { data: { email: account.email, password: account.password } });
  expect(answer.status(), await answer.text()).toBe(200);
}

test.describe("scenario runner", () => {
  // A session caller: the own-origin check is for cookie callers.
  test("needs a signed-in caller, a known scenario and our own origin", async ({ request, account }) => {
    expect((await request.post("/api/scenarios/csrf")).status()).toBe(401);
    await signInWithSession(request, account);
    expect((await request.post("/api/scenarios/no-such-thing")).status()).toBe(404);
    expect((await request.post("/api/scenarios/csrf", { headers: { origin: "https://evil.example" } })).status()).toBe(
      403,
    );
    const result = await (await request.post("/api/scenarios/csrf")).json();
    expect(result.checks.map((c: { pass: boolean }) => c.pass)).toEqual([true, true]);
    // For the defender: both kept out.
    expect(result.checks.map((c: { outcome: unknown }) => c.outcome)).toEqual([
      { tone: "good", said: "Cross-site request refused; your session untouched" },
      { tone: "good", said: "Nothing to ride: no credential arrived" },
    ]);
  });

  test("asked for its steps, a scenario streams them as they happen, then its result; a refusal keeps its status", async ({
    request,
    tokens,
  }) => {
    const ndjson = { accept: "application/x-ndjson" };
    const refused = await request.post("/api/scenarios/expiry", { headers: ndjson });
    expect(refused.status()).toBe(401);
    expect(refused.headers()["content-type"]).toContain("application/json");
    const answer = await request.post("/api/scenarios/expiry", { headers: { ...ndjson, ...tokens.bearer } });
    expect(answer.status()).toBe(200);
    expect(answer.headers()["content-type"]).toBe("application/x-ndjson");
    const lines = (await answer.text())
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    const steps = lines.slice(0, -1).map((line: { step: string }) => line.step);
    expect(steps[0]).toBe("Token: issued for 2 s, 200");
    expect(steps.at(-1)).toMatch(/^Token: replay \d+ → 401 at \d+\.\d s$/);
    expect(steps.filter((step: string) => / → 200 at /.test(step)).length).toBeGreaterThan(0);
    expect(lines.at(-1)).toMatchObject({ name: "expiry", checks: expect.any(Array) });
  });

  test("an outage key the server did not arm changes nothing", async ({ request, account }) => {
    await signInWithSession(request, account);
    const response = await request.get("/api/session", { headers: { "x-svj-simulated-outage": "guessed-key" } });
    expect(response.status()).toBe(200);
  });

  test("the database outage scenario fails the session closed and keeps JWTs serving, here and at another service", async ({
    request,
    tokens,
  }) => {
    await resourceServer();
    const result = await (await request.post("/api/scenarios/db-down", { headers: tokens.bearer })).json();
    expect(result.checks).toEqual([
      expect.objectContaining({
        mechanism: "session",
        pass: true,
        observed: expect.stringMatching(/^503 .*afterwards 200$/),
        outcome: { tone: "info", said: "Fails closed (503): nobody let in, nobody served" },
      }),
      expect.objectContaining({
        mechanism: "jwt",
        pass: true,
        observed: "200",
        outcome: { tone: "info", said: "Still served (200)" },
      }),
      expect.objectContaining({ label: "The same token at another service, meanwhile", pass: true, observed: "200" }),
    ]);
  });

  // The other service, a separate process, knows nothing of a revocation
  // unless it asks this app; asking costs a round trip per request.
  test("revoke, then replay: the other service accepts the revoked token until exp, and refuses it at once when it asks @once", async ({
    request,
    newAccount: user,
  }) => {
    await resourceServer();
    const caller = await signInWithToken(user);
    const before = await sessionsAndFamilies(user.id);
    const result = await (await request.post("/api/scenarios/revoke-replay", { headers: caller.bearer })).json();
    await caller.api.dispose();
    // What it minted is gone again.
    expect(await sessionsAndFamilies(user.id)).toEqual(before);
    const [session, jwt, stateless, asked] = result.checks as {
      label: string;
      observed: string;
      pass: boolean;
      outcome: { tone: string; said: string };
    }[];
    expect([session, jwt].map((check) => check!.pass)).toEqual([true, true]);
    // For the defender: the cookie was kept out at once; the token (denylist
    // off) and its copy at the stateless service were let in for a while.
    expect(session!.outcome).toEqual({ tone: "good", said: "Revoked cookie refused at the first replay" });
    expect(jwt!.outcome.tone).toBe("bad");
    expect(jwt!.outcome.said).toMatch(/^Revoked token accepted \d+ more times? over \d+\.\d s, then refused$/);
    expect(stateless!.outcome.said).toMatch(/^Revoked token, at the other service, accepted \d+ more times? over/);
    expect(asked!.outcome).toEqual({
      tone: "good",
      said: "Revoked token, at the other service, refused at the first replay",
    });
    expect(stateless!.label).toContain("another service that checks it with the public keys alone");
    // A 3 s token with 5 s of clock tolerance: refused at exp + 5 s, well
    // after the revocation (however long the cost measurement took first).
    const statelessSeconds = Number(
      /^401 \(The access token expired\.\) after (\d+\.\d) s$/.exec(stateless!.observed)?.[1],
    );
    expect(statelessSeconds, stateless!.observed).toBeGreaterThanOrEqual(4);
    expect(statelessSeconds).toBeLessThan(10);
    expect(stateless!.pass).toBe(true);
    const refusedAfter =
      /^401 \(The issuer says this token is no longer active \(revoked\)\.\) after (\d+) ms; per request: its own check (\d+\.\d\d) ms, asking this app (\d+\.\d\d) ms more \(medians of 5\)$/.exec(
        asked!.observed,
      );
    expect(refusedAfter, asked!.observed).not.toBeNull();
    expect(Number(refusedAfter![1])).toBeLessThan(2000);
    // Asking is a round trip through this app and its database: dearer than the check itself.
    expect(Number(refusedAfter![3])).toBeGreaterThan(Number(refusedAfter![2]));
    expect(asked!.pass).toBe(true);
  });
});

// Three devices of a throwaway account, all ended at once, each credential
// replayed until refused: how long each mechanism kept working, both modes.
test(
  "sign out everywhere: sessions and refresh token refused at once; the access token until exp, or at once in denylist mode @once",
  { tag: "@serial" },
  // A session caller: its own session must outlive the run.
  async ({ request, account }) => {
    test.setTimeout(60_000);
    await signInWithSession(request, account);
    const modeBefore = (await db().setting.findUnique({ where: { key: "jwt.denylist" } }))?.value ?? "off";
    const before = await db().user.count();
    const answer = await request.post("/api/scenarios/sign-out-everywhere");
    expect(answer.status()).toBe(200);
    const { checks } = (await answer.json()) as { checks: { label: string; observed: string; pass: boolean }[] };
    expect(checks.map((check) => check.label.split(":")[0])).toEqual([
      `denylist ${modeBefore}`,
      `denylist ${modeBefore}`,
      `denylist ${modeBefore}`,
      `denylist ${modeBefore === "on" ? "off" : "on"}`,
      `denylist ${modeBefore === "on" ? "off" : "on"}`,
      `denylist ${modeBefore === "on" ? "off" : "on"}`,
    ]);
    for (const check of checks) expect(check.pass, `${check.label}: ${check.observed}`).toBe(true);
    const byMode = (mode: string) => checks.filter((check) => check.label.startsWith(`denylist ${mode}`));
    expect(byMode("off")[0]!.observed).toMatch(/^200; then 401 .* after \d+ ms and \d+ ms$/);
    const elapsed = (observed: string) => {
      const [, amount, unit] = /after (\d+(?:\.\d)?) (ms|s)$/.exec(observed) ?? [];
      return Number(amount) * (unit === "s" ? 1000 : 1);
    };
    // A 3-second token with 5 s of tolerance, against one refused at once.
    expect(elapsed(byMode("off")[2]!.observed)).toBeGreaterThanOrEqual(6000);
    expect(byMode("on")[2]!.observed).toMatch(/^401 \(The access token's device was signed out/);
    expect(elapsed(byMode("on")[2]!.observed)).toBeLessThan(2000);
    // The mode is as it was, and the throwaway accounts are gone.
    expect((await db().setting.findUnique({ where: { key: "jwt.denylist" } }))?.value ?? "off").toBe(modeBefore);
    expect(await db().user.count()).toBe(before);
    expect((await request.get("/api/session")).status()).toBe(200);
  },
);

test("with DEMO_CONTROLS=off, server-wide switches are refused", async ({ playwright, account }) => {
  // The second test server: the same database, so the same accounts.
  const baseURL = `http://localhost:${SHORT_IDLE_PORT}`;
  const other = await playwright.request.newContext({ baseURL });
  const signedIn = await signInWithToken(account, baseURL);
  await signedIn.api.dispose();
  const token = signedIn.accessToken;
  const denylist = await other.put("/api/auth/denylist", {
    headers: { authorization: `Bearer ${token}` },
    data: { enabled: true },
  });
  expect(denylist.status()).toBe(403);
  expect(await denylist.json()).toMatchObject({ error: "forbidden" });
  const rotation = await other.post("/api/scenarios/key-rotation", { headers: { authorization: `Bearer ${token}` } });
  expect(rotation.status()).toBe(403);
  expect((await other.get("/api/auth/denylist", { headers: { authorization: `Bearer ${token}` } })).status()).toBe(200);
  await other.dispose();
});

test.describe("with DEMO_CONTROLS=on, the switches are limited", () => {
  test("each visitor (here a token family) may flip them ten times, then waits (429 + Retry-After)", async ({
    request,
    tokens,
  }) => {
    const flip = () => request.put("/api/auth/denylist", { headers: tokens.bearer, data: { enabled: false } });
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await flip()).status());
    // 10 at once, then one every 6 s.
    expect(statuses).toEqual([...Array(10).fill(200), 429, 429]);
    const refused = await flip();
    expect(refused.headers()["retry-after"]).toMatch(/^\d+$/);
    expect(await refused.json()).toMatchObject({ error: "throttled" });
  });

  test("one scenario at a time per visitor (here a session)", async ({ request, account }) => {
    await signInWithSession(request, account);
    const session = (await request.storageState()).cookies.find((cookie) => cookie.name === "svj_session")!;
    // Asked for its live steps, so the first one says the run has begun.
    const long = streamFrom("127.0.0.1", `${origin}/api/scenarios/expiry`, {
      method: "POST",
      headers: { cookie: `${session.name}=${session.value}`, accept: "application/x-ndjson" },
    });
    expect(await long.firstChunk).toContain('"step"');
    const second = await request.post("/api/scenarios/csrf");
    expect(second.status()).toBe(409);
    expect(await second.json()).toMatchObject({ error: "conflict" });
    expect((await long.answer).status).toBe(200);
    expect((await request.post("/api/scenarios/csrf")).status()).toBe(200);
  });
});

// The rows a scenario could leave behind for a user.
async function sessionsAndFamilies(userId: string) {
  return {
    sessions: await db().session.count({ where: { userId } }),
    families: await db().refreshFamily.count({ where: { userId } }),
  };
}

// Found by the security review: a key-rotation run left 31 live refresh
// families behind. Every scenario now ends what it minted.
test("scenarios leave no session or refresh family of their own behind", async ({ request, newAccount: user }) => {
  test.setTimeout(90_000);
  const caller = await signInWithToken(user);
  await caller.api.dispose();
  const rows = () => sessionsAndFamilies(user.id);
  const before = await rows();
  // key-rotation and revoke-replay: their own tests check the same.
  for (const name of ["csrf", "expiry", "db-down"]) {
    const answer = await request.post(`/api/scenarios/${name}`, { headers: caller.bearer });
    expect(answer.status(), name).toBe(200);
    const { checks } = (await answer.json()) as { checks: { label: string; observed: string; pass: boolean }[] };
    expect(checks.length, name).toBeGreaterThan(0);
    for (const check of checks) expect(check.pass, `${name}: ${check.label}: ${check.observed}`).toBe(true);
  }
  expect(await rows()).toEqual(before);
});

// Another service caching the JWKS meets an immediate rotation's new key
// before it has fetched it, and never meets a scheduled one's.
test(
  "key rotation: the immediate one's failures elsewhere are counted; the scheduled one fails nowhere @once",
  { tag: "@serial" },
  async ({ request, newAccount: user }) => {
    test.setTimeout(60_000);
    const caller = await signInWithToken(user);
    await caller.api.dispose();
    const rows = () => sessionsAndFamilies(user.id);
    const before = await rows();
    const answer = await request.post("/api/scenarios/key-rotation", { headers: caller.bearer });
    expect(answer.status()).toBe(200);
    // Its scratch tokens' family is gone again.
    expect(await rows()).toEqual(before);
    const { checks } = (await answer.json()) as { checks: { label: string; observed: string; pass: boolean }[] };
    expect(checks.map((check) => check.pass)).toEqual([true, true, true]);
    const refused = /^(\d+) of (\d+) refused/.exec(checks[1]!.observed);
    expect(Number(refused?.[1]), checks[1]!.observed).toBeGreaterThan(0);
    expect(checks[2]!.observed).toMatch(/^0 failures; the other service fetched the JWKS \d+ times$/);
    const keys = await db().signingKey.findMany({ where: { retiredAt: null } });
    expect(keys).toHaveLength(1);
    expect(checks[2]!.label).toContain(keys[0]!.kid);
  },
);

// The several-tabs experiment runs in the page; the server makes its
// throwaway account, reports what the database saw, and deletes it, for
// the caller who started it only.
test("the several-tabs experiment's account: made for a signed-in caller from our own origin, reported and deleted for that caller only", async ({
  playwright,
  request,
  account: user,
}) => {
  expect((await request.post("/api/scenarios/several-tabs")).status()).toBe(401);
  await signInWithSession(request, user);
  expect(
    (await request.post("/api/scenarios/several-tabs", { headers: { origin: "https://evil.example" } })).status(),
  ).toBe(403);
  const started = await request.post("/api/scenarios/several-tabs");
  expect(started.status()).toBe(201);
  const { account } = (await started.json()) as { account: { id: string; email: string; password: string } };
  expect(account.email).toMatch(/^several-tabs\.[0-9a-f]{20}\.[0-9a-f-]{36}@scenario\.invalid$/);

  // A tab signs in with it, refreshes once, and its refresh token is then
  // presented again (a second tab's race, answered within the grace window).
  const pair = await (
    await request.post("/api/auth/token", { data: { email: account.email, password: account.password } })
  ).json();
  const refreshed = await request.post("/api/auth/refresh", { data: { refresh_token: pair.refresh_token } });
  const again = await request.post("/api/auth/refresh", { data: { refresh_token: pair.refresh_token } });
  expect([refreshed.status(), again.status()]).toEqual([200, 200]);
  const report = await request.get(`/api/scenarios/several-tabs/${account.id}`);
  expect(report.status()).toBe(200);
  expect((await report.json()).families).toEqual([
    {
      id: JSON.parse(Buffer.from(pair.access_token.split(".")[1], "base64url").toString()).sid,
      client_id: "api",
      created_at: expect.any(String),
      rotations: 1,
      answered_again: 1,
      revoked_reason: null,
    },
  ]);

  // Another caller (another session of the same user, too) sees nothing of it.
  const other = await playwright.request.newContext({ baseURL: test.info().project.use.baseURL });
  await signInWithSession(other, user);
  expect((await other.get(`/api/scenarios/several-tabs/${account.id}`)).status()).toBe(404);
  expect((await other.delete(`/api/scenarios/several-tabs/${account.id}`)).status()).toBe(404);
  await other.dispose();
  expect(
    (
      await request.delete(`/api/scenarios/several-tabs/${account.id}`, { headers: { origin: "https://evil.example" } })
    ).status(),
  ).toBe(403);

  // The caller's own account is no experiment account of theirs.
  expect((await request.get(`/api/scenarios/several-tabs/${user.id}`)).status()).toBe(404);

  // The throwaway account can sign in (its tabs must), but neither start
  // experiments nor flip server-wide switches: each new one would be a
  // fresh allowance. Nor can anyone register under its domain.
  const throwaway = await playwright.request.newContext({ baseURL: test.info().project.use.baseURL });
  expect(
    (await throwaway.post("/api/session", { data: { email: account.email, password: account.password } })).status(),
  ).toBe(200);
  expect((await throwaway.post("/api/scenarios/csrf")).status()).toBe(403);
  expect((await throwaway.post("/api/scenarios/several-tabs")).status()).toBe(403);
  expect(
    (
      await throwaway.put("/api/auth/denylist", {
        headers: { authorization: `Bearer ${pair.access_token}` },
        data: { enabled: true },
      })
    ).status(),
  ).toBe(403);
  await throwaway.dispose();
  const squatter = await request.post("/api/auth/register", {
    data: { email: `several-tabs.x.y${"@scenario.invalid"}`, password: PASSWORD },
  });
  expect(squatter.status()).toBe(400);

  // A second run replaces the caller's first account.
  const second = (await (await request.post("/api/scenarios/several-tabs")).json()).account as { id: string };
  expect(await db().user.count({ where: { id: account.id } })).toBe(0);
  expect((await request.delete(`/api/scenarios/several-tabs/${second.id}`)).status()).toBe(204);
  expect(await db().user.count({ where: { id: second.id } })).toBe(0);
  expect((await request.get(`/api/scenarios/several-tabs/${second.id}`)).status()).toBe(404);
});

test("the several-tabs experiment for a caller signed in with a JWT only", async ({ playwright, tokens }) => {
  // A context of its own, with no cookie at all.
  const api = await playwright.request.newContext({ baseURL: test.info().project.use.baseURL });
  const { bearer } = tokens;
  const started = await api.post("/api/scenarios/several-tabs", { headers: bearer });
  expect(started.status()).toBe(201);
  const { account } = (await started.json()) as { account: { id: string } };
  expect((await api.get(`/api/scenarios/several-tabs/${account.id}`, { headers: bearer })).status()).toBe(200);
  // Without the token, nobody.
  expect((await api.get(`/api/scenarios/several-tabs/${account.id}`)).status()).toBe(401);
  expect((await api.delete(`/api/scenarios/several-tabs/${account.id}`, { headers: bearer })).status()).toBe(204);
  await api.dispose();
});
