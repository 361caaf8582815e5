import { expect, test } from "@playwright/test";

test("the landing page states the comparison and the navigation works", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Sessions and JWTs");
  await expect(page.getByRole("table", { name: "Session versus JWT trade-offs" })).toBeVisible();
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Docs" }).click();
  await expect(page).toHaveURL(/\/docs$/);
  await expect(page.getByRole("link", { name: "Docs" })).toHaveAttribute("aria-current", "page");
  await expect(page.getByText("Passwords hashed with bcrypt, cost 4")).toBeVisible();
  // The landing page's first action is the side-by-side itself.
  await page.goto("/");
  await page.getByRole("main").getByRole("link", { name: "Try both on the dashboard" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
});

test("dark mode follows the system", async ({ browser }) => {
  const context = await browser.newContext({ colorScheme: "dark" });
  const page = await context.newPage();
  await page.goto("/");
  const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(background).not.toBe("rgb(250, 250, 250)");
  await context.close();
});

test("each /docs checklist item links to the line of code that implements it", async ({ page, request }) => {
  await page.goto("/docs");
  // The checklist's links (the claims section links to whole files).
  const links = page.locator('a[href^="/docs/code/"]:not([data-testid="seed-claims"] *)');
  expect(await links.count()).toBeGreaterThanOrEqual(18);
  for (const href of await links.evaluateAll((as) => as.map((a) => a.getAttribute("href")!))) {
    expect(href, "every link finds its symbol").toMatch(/#L\d+$/);
  }
  await page.getByRole("link", { name: "lib/auth/throttle.ts · reserveAttempt" }).click();
  await expect(page.getByTestId("source-path")).toHaveText("lib/auth/throttle.ts");
  const line = new URL(page.url()).hash;
  expect(line).toMatch(/^#L\d+$/);
  await expect(page.locator(line)).toContainText("export async function reserveAttempt");
  await expect(page.locator(":target")).toHaveAttribute("id", line.slice(1));
  for (const path of [
    "/docs/code/data/secrets.json",
    "/docs/code/..%2F..%2Fetc%2Fpasswd",
    "/docs/code/prisma/generated/sqlite/client.ts",
    "/docs/code/.env",
  ]) {
    expect((await request.get(path)).status(), path).toBe(404);
  }
});

test("each usual claim about JWTs on /docs links to where it is shown", async ({ page }) => {
  await page.goto("/docs");
  const claims = page.getByTestId("seed-claims");
  await expect(claims.getByRole("listitem")).toHaveCount(7);
  await claims.getByRole("link", { name: "resource-server/verifier.ts" }).click();
  await expect(page.getByTestId("source-path")).toHaveText("resource-server/verifier.ts");
});
