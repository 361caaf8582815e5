import { test, expect } from "@playwright/test";
import { registerUser, signInOnDashboard } from "../helpers";

// Screenshots of the dashboard, signed in both ways, for people to look at
// (artifacts/screenshots/, git-ignored). The best one is copied by hand to
// docs/dashboard.png for the README.
for (const [scheme, width, height] of [
  ["light", 1400, 1000],
  ["dark", 1400, 1000],
  ["light", 390, 844],
  ["dark", 390, 844],
] as const) {
  test(`dashboard screenshot: ${scheme}, ${width}px`, async ({ browser, request }) => {
    const user = await registerUser(request);
    const context = await browser.newContext({ colorScheme: scheme, viewport: { width, height } });
    const page = await context.newPage();
    await page.goto("/dashboard");
    for (const column of ["session", "jwt"] as const) await signInOnDashboard(page, column, user.email);
    await expect(page.getByTestId("session-record")).toBeVisible();
    await expect(page.getByTestId("jwt-token")).toBeVisible();
    await page.getByTestId("jwt-call-me").click();
    await expect(page.getByTestId("jwt-verdict")).toBeVisible();
    await page.screenshot({ path: `artifacts/screenshots/dashboard-${scheme}-${width}.png`, fullPage: true });
    await context.close();
  });
}
