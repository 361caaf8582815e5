import type { Page } from "@playwright/test";
import { db } from "@/lib/db";
import { DEMO_USER } from "@/lib/showcase/demo";
import { expect, signInWithToken, test, type Account } from "../fixtures";
import { SHORT_IDLE_PORT } from "../test-env";

test.afterAll(() => db().$disconnect());

// Signing in is what these tests are about: through the form, every time.
async function signIn(page: Page, account: Pick<Account, "email" | "password">) {
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Sign in with a session" }).click();
}

test.describe("session flow in the browser", () => {
  test("sign in → /account, reload stays signed in, page script cannot read the cookie", async ({
    page,
    context,
    account: user,
  }) => {
    await page.goto("/login");
    await signIn(page, user);
    await expect(page).toHaveURL(/:\d+\/account$/);
    await expect(page.getByTestId("account-email")).toHaveText(user.email);
    await expect(page.getByTestId("session-details")).toContainText("Token hash (prefix)");

    await page.reload();
    await expect(page.getByTestId("account-email")).toHaveText(user.email);

    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === "svj_session");
    expect(session).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/" });
    expect(await page.evaluate(() => document.cookie)).not.toContain("svj_session");
  });

  test("a wrong password shows one generic message", async ({ page, account: user }) => {
    await page.goto("/login");
    await signIn(page, { email: user.email, password: "not my password" });
    await expect(page.getByTestId("login-error")).toHaveText("Email or password is incorrect.");
    await signIn(page, { email: "nobody-at-all@example.com", password: "not my password" });
    await expect(page.getByTestId("login-error")).toHaveText("Email or password is incorrect.");
  });

  test("a signed-out visitor is sent to /login?next=… and brought back", async ({ page, account: user }) => {
    await page.goto("/account/devices");
    await expect(page).toHaveURL(/\/login\?next=%2Faccount%2Fdevices$/);
    await signIn(page, user);
    await expect(page).toHaveURL(/:\d+\/account\/devices$/);
    await expect(page.getByRole("heading", { name: "My devices" })).toBeVisible();
  });

  test("a foreign next= is ignored", async ({ page, account: user }) => {
    await page.goto("/login?next=//evil.example/steal");
    await signIn(page, user);
    await expect(page).toHaveURL(/:\d+\/account$/);
  });

  test("two browsers are two sessions; revoking the other signs it out on its next navigation", async ({
    browser,
    secondDevice: phone,
    newAccount: user,
  }) => {
    const laptop = await browser.newContext();
    const laptopPage = await laptop.newPage();
    const phonePage = await phone.newPage();
    for (const page of [laptopPage, phonePage]) {
      await page.goto("/login?next=/account/devices");
      await signIn(page, user);
      await expect(page).toHaveURL(/:\d+\/account\/devices$/);
    }
    await laptopPage.reload();
    const rows = laptopPage.getByTestId("device-row");
    await expect(rows).toHaveCount(2);
    await expect(laptopPage.locator("[data-current]")).toContainText("this one");
    const phoneRow = rows.filter({ hasText: "Safari on iOS" });
    await phoneRow.getByRole("button", { name: /^End / }).click();
    await expect(rows).toHaveCount(1);

    await phonePage.goto("/account");
    await expect(phonePage).toHaveURL(/\/login\?next=%2Faccount&reason=unknown$/);
    await expect(phonePage.getByTestId("signed-out-reason")).toContainText("signed out or revoked");
    await laptopPage.goto("/account");
    await expect(laptopPage.getByTestId("account-email")).toHaveText(user.email);
    await laptop.close();
  });

  test("sign out everywhere, and sign out on this device", async ({ page: a, secondDevice, newAccount: user }) => {
    const b = await secondDevice.newPage();
    for (const page of [a, b]) {
      await page.goto("/login");
      await signIn(page, user);
      await expect(page).toHaveURL(/:\d+\/account$/);
    }
    await a.goto("/account/devices");
    await a.getByRole("link", { name: "Sign out everywhere…" }).click();
    // Nothing ends before the confirmation.
    await b.goto("/account");
    await expect(b.getByTestId("account-email")).toHaveText(user.email);
    await a.getByTestId("confirm-everywhere").getByRole("button", { name: "Yes, sign out everywhere" }).click();
    await expect(a).toHaveURL(/\/login$/);
    await b.goto("/account");
    await expect(b).toHaveURL(/\/login\?next=%2Faccount/);

    await signIn(b, user);
    await expect(b).toHaveURL(/:\d+\/account$/);
    await b.getByRole("main").getByRole("button", { name: "Sign out" }).click();
    await expect(b).toHaveURL(/\/login$/);
    await b.goto("/account");
    await expect(b).toHaveURL(/\/login\?next=%2Faccount/);
  });

  test("changing the password signs out other devices and token clients, and gives this one a new session", async ({
    browser,
    newAccount: user,
  }) => {
    const here = await browser.newContext();
    const there = await browser.newContext();
    const herePage = await here.newPage();
    const therePage = await there.newPage();
    for (const page of [herePage, therePage]) {
      await page.goto("/login");
      await signIn(page, user);
      await expect(page).toHaveURL(/:\d+\/account$/);
    }
    // A token client's refresh cookie, held since before the change.
    const client = await signInWithToken(user);
    const sessionId = async () => (await (await herePage.request.get("/api/session")).json()).session.id as string;
    const before = await sessionId();
    await herePage.getByLabel("Current password").fill(user.password);
    await herePage.getByLabel("New password").fill("a brand new password");
    await herePage.getByRole("button", { name: "Change password" }).click();
    await expect(herePage.getByTestId("password-changed")).toContainText("1 other session was signed out");
    // A new session id here (no fixation across a privilege change); the old record is gone.
    const after = await sessionId();
    expect(after).not.toBe(before);
    expect(await db().session.count({ where: { id: before } })).toBe(0);
    expect((await client.api.post("/api/auth/refresh")).status()).toBe(401);
    await client.api.dispose();

    await therePage.goto("/account");
    await expect(therePage).toHaveURL(/\/login/);
    await herePage.goto("/account");
    await expect(herePage.getByTestId("account-email")).toHaveText(user.email);
    await here.close();
    await there.close();
  });

  // 8 s, not less: a loaded 2-core machine takes a few seconds to sign in
  // and render, and the first visit must land well inside the limit.
  test("an idle session expires (server with an 8 s idle limit)", async ({ page, account: user }) => {
    const origin = `http://localhost:${SHORT_IDLE_PORT}`;
    await page.goto(`${origin}/login`);
    await signIn(page, user);
    await expect(page).toHaveURL(`${origin}/account`);
    await expect(page.getByTestId("account-email")).toHaveText(user.email);
    // The point of the test: the idle limit passing, on the server's real clock.
    await page.waitForTimeout(9000);
    await page.goto(`${origin}/account`);
    await expect(page).toHaveURL(`${origin}/login?next=%2Faccount&reason=idle`);
    await expect(page.getByTestId("signed-out-reason")).toContainText("expired after 8 s without activity");
  });
});

test("on a shared server the demo account's password cannot be changed", async ({ page }) => {
  const origin = `http://localhost:${SHORT_IDLE_PORT}`;
  await page.goto(`${origin}/login?next=/account`);
  await signIn(page, DEMO_USER);
  await expect(page.getByTestId("account-email")).toHaveText("demo@example.com");
  await page.getByLabel("Current password").fill("demo-password");
  await page.getByLabel("New password").fill("taken over by a visitor");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByTestId("password-error")).toContainText("shared by every visitor");
  // The documented password still works.
  await page.goto(`${origin}/login`);
  await signIn(page, DEMO_USER);
  await expect(page).toHaveURL(`${origin}/account`);
});
