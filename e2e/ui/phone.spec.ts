import type { Locator, Page } from "@playwright/test";
import { expect, signInBrowser, test, type Account } from "../fixtures";

// At 390 px (a phone) both mechanisms stay in view: nothing is reachable
// only by an unmarked sideways scroll, and chart text keeps a readable size.
test.use({ viewport: { width: 390, height: 844 } });

// That no page is wider than the phone is checked with the accessibility
// scan, which visits every page at this width.
async function expectInView(locator: Locator) {
  const box = await locator.boundingBox();
  expect(box, "laid out").not.toBeNull();
  expect(box!.x).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width).toBeLessThanOrEqual(390);
}

async function signInBothWays(page: Page, account: Account) {
  await signInBrowser(page.context(), account);
  await page.goto("/dashboard");
  await expect(page.getByTestId("jwt-token")).toBeVisible();
  await expect(page.getByTestId("session-record")).toBeVisible();
}

test("the trade-off table stacks: every session and JWT cell is on screen, labelled", async ({ page }) => {
  await page.goto("/");
  const rows = page.getByTestId("tradeoff-table").getByRole("row");
  // The header row is kept for screen readers only.
  const count = await rows.count();
  expect(count).toBeGreaterThan(8);
  for (let i = 1; i < count; i++) {
    const cells = rows.nth(i).getByRole("cell");
    await expect(cells).toHaveCount(2);
    await expect(cells.nth(0)).toContainText(/^Session/);
    await expect(cells.nth(1)).toContainText(/^JWT/);
    for (const cell of await cells.all()) await expectInView(cell);
  }
});

test("the dashboard stacks its columns, and the request log keeps each status on screen", async ({ page, account }) => {
  await signInBothWays(page, account);
  const session = await page.getByTestId("session-column").boundingBox();
  const jwt = await page.getByTestId("jwt-column").boundingBox();
  expect(jwt!.y).toBeGreaterThan(session!.y + session!.height - 1);
  await page.getByTestId("jwt-call-me").click();
  const newest = page.getByTestId("request-log-row").first();
  await expect(newest).toHaveAttribute("data-status", "200");
  await newest.scrollIntoViewIfNeeded();
  await expect(newest.getByRole("cell", { name: "200", exact: true })).toBeVisible();
  await expectInView(newest.getByRole("cell", { name: "200", exact: true }));
  // What the wide table shows in columns of its own is under the request.
  await expect(newest).toContainText("GET /api/me");
  await expect(newest).toContainText(/ms · auth \d+\.\d\d ms/);
});

// A fresh account: its device list holds exactly this browser's two sign-ins.
test("each device's button on /account/devices is on screen", async ({ page, newAccount }) => {
  await signInBothWays(page, newAccount);
  await page.goto("/account/devices");
  const buttons = page.getByTestId("device-row").getByRole("button", { name: /^(End|Sign out) / });
  await expect(buttons).toHaveCount(2);
  for (const button of await buttons.all()) await expectInView(button);
});

test("the performance charts keep their text at 12 px or more, inside the screen", async ({ page }) => {
  await page.goto("/performance");
  const bars = page.locator("[data-bar]");
  expect(await bars.count()).toBeGreaterThan(10);
  for (const bar of await bars.all()) {
    await expectInView(bar);
    const sizes = await bar
      .locator("span")
      .evaluateAll((spans) => spans.map((span) => parseFloat(getComputedStyle(span).fontSize)));
    expect(sizes.length, "label and value are text on the page").toBeGreaterThanOrEqual(2);
    for (const size of sizes) expect(size).toBeGreaterThanOrEqual(12);
  }
});
