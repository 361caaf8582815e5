import { expect, test } from "@playwright/test";

test("the landing page states the comparison and the navigation works", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Sessions and JWTs");
  await expect(page.getByRole("table", { name: "Session versus JWT trade-offs" })).toBeVisible();
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Docs" }).click();
  await expect(page).toHaveURL(/\/docs$/);
  await expect(page.getByRole("link", { name: "Docs" })).toHaveAttribute("aria-current", "page");
  await expect(page.getByText("Passwords hashed with bcrypt, cost 4")).toBeVisible();
});

test("dark mode follows the system", async ({ browser }) => {
  const context = await browser.newContext({ colorScheme: "dark" });
  const page = await context.newPage();
  await page.goto("/");
  const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(background).not.toBe("rgb(250, 250, 250)");
  await context.close();
});
