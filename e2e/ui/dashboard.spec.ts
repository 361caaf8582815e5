import { db } from "@/lib/db";
import { expect, signInBrowser, test } from "../fixtures";
import { signInOnDashboard } from "../helpers";
import { resourceServer } from "../resource-server";

test.afterAll(() => db().$disconnect());

test.describe("dashboard", () => {
  // Signing in is what this one is about: through the dashboard's forms.
  test("signing in both ways shows the session record and the token as stored and issued", async ({
    page,
    newAccount: user,
  }) => {
    await page.goto("/dashboard");
    // The page's own first reads (signed out) are logged; Clear empties the log.
    await expect(page.getByTestId("session-signin")).toBeVisible();
    await expect(page.getByTestId("jwt-signin")).toBeVisible();
    await expect(page.getByTestId("request-log-row").first()).toHaveAttribute("data-status", /^40\d$/);
    await page.getByRole("button", { name: "Clear" }).click();
    await expect(page.getByTestId("request-log")).toContainText("No requests yet");
    await signInOnDashboard(page, "session", user);
    await signInOnDashboard(page, "jwt", user);

    await expect(page.getByTestId("session-user")).toHaveText(user.email);
    const row = await db().session.findFirstOrThrow({ where: { userId: user.id } });
    await expect(page.getByTestId("session-hash")).toHaveText(`${row.tokenHash.slice(0, 12)}…`);
    const cookie = (await page.context().cookies()).find((c) => c.name === "svj_session")!;
    await expect(page.getByTestId("session-cookie-bytes")).toHaveText(
      `${`svj_session=${cookie.value}`.length} bytes on every request`,
    );
    await expect(page.getByTestId("session-document-cookie")).toContainText("no session cookie");
    await expect(page.getByTestId("session-idle-countdown")).toHaveText(/^in 29:5\d$|^in 30:00$/);

    await expect(page.getByTestId("claim-sub")).toHaveText(user.id);
    await expect(page.getByTestId("claim-typ")).toHaveText("at+jwt");
    await expect(page.getByTestId("claim-client_id")).toHaveText("browser");
    const family = await db().refreshFamily.findFirstOrThrow({ where: { userId: user.id } });
    await expect(page.getByTestId("claim-sid")).toHaveText(family.id);
    await expect(page.getByTestId("jwt-generation")).toHaveText("1");
    // The refresh cookie exists, and script cannot see it even at its own
    // path (where Path alone would let it): HttpOnly is what hides it.
    expect((await page.context().cookies()).map((c) => c.name)).toContain("svj_refresh");
    const seenAtRefreshPath = await page.evaluate(() => {
      const here = location.href;
      history.replaceState(history.state, "", "/api/auth/refresh");
      const seen = document.cookie;
      history.replaceState(history.state, "", here);
      return seen;
    });
    expect(seenAtRefreshPath).not.toContain("svj_refresh");

    await page.getByTestId("jwt-call-me").click();
    const kid = (await db().signingKey.findFirstOrThrow({ where: { retiredAt: null } })).kid;
    await expect(page.getByTestId("jwt-verdict")).toHaveText(`GET /api/me: 200 — signature verified with key ${kid}.`);
    // The action's result is announced, and keyboard focus stays on the action.
    await expect(page.getByTestId("jwt-verdict")).toHaveAttribute("role", "status");
    await expect(page.getByTestId("jwt-call-me")).toBeFocused();

    const comparison = page.getByTestId("comparison");
    await expect(comparison).toContainText("B (Cookie)");
    await expect(comparison).toContainText("B (Authorization)");
    await expect(page.getByTestId("request-log-row").first()).toHaveAttribute("data-mechanism", "jwt");
  });

  test("the comparison shows a check's server time only from five samples, seen-before and first-sight apart, and points to the controlled measurement", async ({
    tokenPage: page,
  }) => {
    const row = (label: RegExp) =>
      page
        .getByTestId("comparison")
        .getByRole("row")
        .filter({ has: page.getByRole("rowheader", { name: label }) });
    const jwtCell = (label: RegExp) => row(label).getByRole("cell").nth(1);
    const repeat = /credential seen before/;
    await page.getByTestId("jwt-call-me").click();
    await expect(page.getByTestId("jwt-verdict")).toContainText("200");
    // The family read and the first call: too few for a number.
    await expect(jwtCell(repeat)).toHaveText(/JWT[1-4] of 5 samples so far|JWT—/);
    for (let i = 0; i < 5; i++) {
      await page.getByTestId("jwt-call-me").click();
      await expect(page.getByTestId("request-log-row").first()).toHaveAttribute("data-mechanism", "jwt");
    }
    await expect(jwtCell(repeat)).toHaveText(/\d+\.\d\d ms \(middle half \d+\.\d\d–\d+\.\d\d, n=([5-9]|\d\d)\)/);
    // Each token's first check is its only first sight: one so far.
    await expect(jwtCell(/at first sight/)).toHaveText(/1 of 5 samples so far/);
    await page.getByTestId("comparison-note").getByRole("link", { name: "Performance" }).click();
    await expect(page).toHaveURL(/\/performance$/);
  });

  test("the header follows a sign-in and a sign-out on the dashboard, without a reload and without losing the page's token", async ({
    page,
    account: user,
  }) => {
    await page.goto("/dashboard");
    const header = page.getByRole("banner");
    await expect(header.getByRole("link", { name: "Sign in" })).toBeVisible();
    await signInOnDashboard(page, "jwt", user);
    await expect(page.getByTestId("jwt-token")).toBeVisible();
    const token = await page.getByTestId("claim-jti").textContent();
    await signInOnDashboard(page, "session", user);
    await expect(header.getByTestId("signed-in-as")).toHaveText(user.email);
    await expect(header.getByRole("button", { name: "Sign out" })).toBeVisible();
    // The page was not reloaded: the token in its memory is the same one.
    await expect(page.getByTestId("claim-jti")).toHaveText(token!);
    await page.getByTestId("session-signout").click();
    await expect(header.getByRole("link", { name: "Sign in" })).toBeVisible();
    await expect(page.getByTestId("claim-jti")).toHaveText(token!);
  });

  test("the token lives in memory: a reload restores it through the refresh cookie, a new generation", async ({
    tokenPage: page,
  }) => {
    // The page itself restored its first token from the refresh cookie (e2e/fixtures/tokens.ts).
    await expect(page.getByTestId("jwt-generation")).toHaveText("2");
    const first = await page.getByTestId("claim-jti").textContent();
    await page.reload();
    await expect(page.getByTestId("jwt-generation")).toHaveText("3");
    expect(await page.getByTestId("claim-jti").textContent()).not.toBe(first);
  });

  // The page's own timers (its countdowns, the token keeper's refresh timer)
  // run on the browser's clock, which Playwright moves: minutes pass for the
  // page in an instant. The server's clock, and its limits, stay real
  // (docs/testing.md, "Expiry").
  test("the countdowns tick, and the token is refreshed 30 s before it expires, by the page's own clock", async ({
    page,
    account,
  }) => {
    await page.clock.install();
    await signInBrowser(page.context(), account);
    await page.goto("/dashboard");
    await expect(page.getByTestId("jwt-token")).toBeVisible();
    await expect(page.getByTestId("session-idle-countdown")).toHaveText(/^in 29:5\d$|^in 30:00$/);
    await expect(page.getByTestId("jwt-exp-countdown")).toHaveText(/^in 4:5\d$|^in 5:00$/);
    const generation = Number(await page.getByTestId("jwt-generation").textContent());
    const jti = await page.getByTestId("claim-jti").textContent();
    await page.clock.fastForward("04:00");
    await expect(page.getByTestId("jwt-exp-countdown")).toHaveText(/^in 0:5\d$|^in 1:00$/);
    await expect(page.getByTestId("session-idle-countdown")).toHaveText(/^in 25:5\d$|^in 26:00$/);
    // A 5-minute token is refreshed 30 s before it expires (a fifth of its
    // life, at most 30 s), by the timer the page set when it got the token.
    await expect(page.getByTestId("jwt-generation")).toHaveText(String(generation));
    await page.clock.fastForward("00:31");
    await expect(page.getByTestId("jwt-generation")).toHaveText(String(generation + 1));
    await expect(page.getByTestId("claim-jti")).not.toHaveText(jti!);
  });

  test(
    "revoke, then replay: works until exp with the denylist off, refused with it on",
    { tag: "@serial" },
    async ({ tokenPage: page }) => {
      try {
        await page.getByTestId("jwt-revoke").click();
        await expect(page.getByTestId("jwt-family-status")).toHaveText("revoked (revoked)");
        await page.getByTestId("jwt-call-me").click();
        await expect(page.getByTestId("jwt-verdict")).toContainText("GET /api/me: 200");
        await page.getByTestId("jwt-denylist-toggle").click();
        await expect(page.getByTestId("jwt-denylist")).toContainText("on:");
        await page.getByTestId("jwt-call-me").click();
        await expect(page.getByTestId("jwt-verdict")).toHaveText("GET /api/me: 401 — The access token was revoked.");
      } finally {
        const { setDenylistEnabled } = await import("@/lib/auth/denylist");
        await setDenylistEnabled(false);
      }
    },
  );

  test("signing out of the session column ends the record", async ({ page, newAccount: user }) => {
    await signInBrowser(page.context(), user, { token: false });
    await page.goto("/dashboard");
    await expect(page.getByTestId("session-rows")).toHaveText("1");
    await page.getByTestId("session-signout").click();
    await expect(page.getByTestId("session-signin")).toBeVisible();
    expect(await db().session.count({ where: { userId: user.id } })).toBe(0);
  });
});

test("every scenario reaches its expected outcome", { tag: "@serial" }, async ({ page, newAccount: user }) => {
  test.setTimeout(90_000);
  await resourceServer();
  await signInBrowser(page.context(), user);
  await page.goto("/dashboard");
  await expect(page.getByTestId("jwt-token")).toBeVisible();
  await expect(page.getByTestId("session-record")).toBeVisible();
  // Expiry and key rotation wait out lifetimes; their API tests
  // (e2e/api/scenarios.spec.ts) check the same answers more closely.
  const expectedChecks: Record<string, number> = {
    "stolen-replay": 2,
    "revoke-replay": 4,
    "sign-out-everywhere": 6,
    csrf: 2,
    "script-read": 4,
    "db-down": 3,
  };
  for (const [name, count] of Object.entries(expectedChecks)) {
    const card = page.getByTestId(`scenario-${name}`);
    await card.getByRole("button", { name: "Run" }).click();
    // A long one shows its steps as they happen, and keeps them afterwards.
    if (name === "revoke-replay") {
      await expect(card.getByTestId("scenario-timeline-live")).toContainText(/Token: replay \d+ → 200 at/);
    }
    const checks = card.getByTestId("scenario-check");
    await expect(checks).toHaveCount(count, { timeout: 30_000 });
    for (const check of await checks.all()) {
      await expect(check, `${name}: ${await check.textContent()}`).toHaveAttribute("data-pass", "true");
    }
    // Each check says what happened for the defender, beside whether it was expected.
    await expect(card.getByTestId("scenario-outcome")).toHaveCount(count);
    if (name === "stolen-replay")
      for (const outcome of await card.getByTestId("scenario-outcome").all()) {
        await expect(outcome).toHaveAttribute("data-tone", "bad");
        await expect(outcome).toContainText("accepted from another client");
      }
    // The run ends on what it showed, and focus goes there.
    const takeaway = card.getByTestId("scenario-takeaway");
    await expect(takeaway).toHaveAttribute("data-held", "true");
    await expect(takeaway).toContainText("What this shows:");
    await expect(takeaway).toBeFocused();
    if (name === "revoke-replay") {
      await card.getByText(/^Timeline \(\d+ steps\)$/).click();
      const timeline = card.getByTestId("scenario-timeline");
      await expect(timeline).toContainText("Session: revoked");
      await expect(timeline).toContainText(/Token: replay \d+ → 401 at/);
    }
  }
  // Every Run button says which experiment it runs.
  const names = await page
    .getByRole("button", { name: /^Run: / })
    .evaluateAll((buttons) => buttons.map((button) => button.getAttribute("aria-label")));
  expect(names).toHaveLength(9);
  expect(new Set(names).size).toBe(9);
  await expect(page.getByTestId("comparison")).toContainText(/\d+ ms \(the next request\)/);
  await expect(page.getByTestId("comparison")).toContainText(/\d+\.\d s with a 3 s token, denylist off/);
  // The dashboard's own credentials survived every experiment.
  await page.getByTestId("session-check").click();
  await expect(page.getByTestId("session-user")).toHaveText(user.email);
  await page.getByTestId("jwt-call-me").click();
  await expect(page.getByTestId("jwt-verdict")).toContainText("200");
});

test("with DEMO_CONTROLS off (the default), the server-wide switches are shown disabled, with the reason", async ({
  page,
  account,
}) => {
  const { SHORT_IDLE_PORT } = await import("../test-env");
  const other = `http://localhost:${SHORT_IDLE_PORT}`;
  await signInBrowser(page.context(), account, { session: false, baseURL: other });
  await page.goto(`${other}/dashboard`);
  await expect(page.getByTestId("jwt-denylist-toggle")).toBeDisabled();
  await expect(page.getByTestId("demo-controls-off")).toContainText("DEMO_CONTROLS=off");
  await expect(page.getByTestId("scenario-key-rotation").getByRole("button", { name: "Run" })).toBeDisabled();
  await expect(page.getByTestId("key-rotation-off")).toContainText("acts for every visitor");
});

test("the browser keeps the access token in page memory only: no storage, no readable cookie", async ({
  tokenPage: page,
}) => {
  const encoded = (await page.getByTestId("jwt-encoded").textContent())!.replace(/\s/g, "");
  expect(encoded.split(".")).toHaveLength(3);
  // Any recognisable piece of it: the signature is unique to this token.
  const signature = encoded.split(".")[2]!;
  const stored = await page.evaluate(async () => {
    const dump = (storage: Storage) =>
      Object.keys(storage)
        .map((key) => `${key}=${storage.getItem(key)}`)
        .join("\n");
    const databases = (await indexedDB.databases()).map((d) => d.name ?? "");
    return { local: dump(localStorage), session: dump(sessionStorage), cookies: document.cookie, databases };
  });
  expect(stored.local).not.toContain(signature);
  expect(stored.session).not.toContain(signature);
  expect(stored.cookies).not.toContain(signature);
  expect(stored.databases).toEqual([]);
  const cookies = await page.context().cookies();
  expect(cookies.filter((c) => c.value.includes(signature))).toEqual([]);
});
