import AxeBuilder from "@axe-core/playwright";
import { test, expect, type Page } from "@playwright/test";
import { registerUser, signInOnDashboard } from "../helpers";

// axe-core's WCAG 2 A and AA rules (colour contrast among them) on every
// page, in both colour schemes, with the dashboard showing both mechanisms
// signed in, a scenario's result, the workbench's answers, every panel opened and a request in its
// log, at desktop width; then everything again at phone width, where
// scrolling regions appear.
const PAGES = [
  "/",
  "/performance",
  "/docs",
  "/docs/code/lib/auth/session.ts",
  "/login",
  "/register",
  "/account",
  "/account/devices",
];

async function violations(page: Page) {
  const { violations } = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .analyze();
  return violations.map((v) => ({
    rule: v.id,
    nodes: v.nodes.map((n) => `${n.target.join(" ")}: ${n.failureSummary?.split("\n").slice(1).join(" ")}`),
  }));
}

for (const scheme of ["light", "dark"] as const) {
  test(`WCAG AA, colour contrast included, on every page in ${scheme} mode`, async ({ browser, request }) => {
    const user = await registerUser(request);
    const context = await browser.newContext({ colorScheme: scheme });
    const page = await context.newPage();
    await page.goto("/dashboard");
    for (const column of ["session", "jwt"] as const) await signInOnDashboard(page, column, user.email);
    await expect(page.getByTestId("jwt-token")).toBeVisible();
    await page.getByTestId("jwt-call-me").click();
    await expect(page.getByTestId("jwt-verdict")).toBeVisible();
    const scenario = page.getByTestId("scenario-stolen-replay");
    await scenario.getByRole("button", { name: /^Run/ }).click();
    await expect(scenario.getByTestId("scenario-takeaway")).toBeVisible();
    await page.getByTestId("workbench-attack-jwk").click();
    await page.getByTestId("workbench-verify-jwks").click();
    await expect(page.getByTestId("workbench-signature")).toBeVisible();
    await page.locator("details").evaluateAll((all) => all.forEach((details) => details.setAttribute("open", "")));
    const found: Record<string, unknown> = { "/dashboard at 1280 px": await violations(page) };
    await page.setViewportSize({ width: 390, height: 844 });
    found["/dashboard"] = await violations(page);
    for (const path of PAGES) {
      await page.goto(path);
      found[path] = await violations(page);
    }
    expect(found).toEqual(
      Object.fromEntries(["/dashboard at 1280 px", "/dashboard", ...PAGES].map((path) => [path, []])),
    );
    await context.close();
  });
}
