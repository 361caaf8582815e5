import type { Page } from "@playwright/test";
import { expect, signInBrowser, test, type Account } from "../fixtures";
import { resourceServer } from "../resource-server";

// The pictures in docs/screenshots/ (the README shows the dashboard's), in
// both colour schemes at 1400 px and 390 px: `npm run build && npm run
// screenshots` takes them again. What they show is checked by the Chromium
// tests; these only keep the pictures true to the code.
const VARIANTS = [
  ["light", 1400, 1000],
  ["dark", 1400, 1000],
  ["light", 390, 844],
  ["dark", 390, 844],
] as const;

const shot = (name: string, scheme: string, width: number) => `docs/screenshots/${name}-${scheme}-${width}.png`;

async function dashboardSignedInBothWays(page: Page, account: Account) {
  await signInBrowser(page.context(), account);
  await page.goto("/dashboard");
  await expect(page.getByTestId("session-record")).toBeVisible();
  await expect(page.getByTestId("jwt-token")).toBeVisible();
  await page.getByTestId("jwt-call-me").click();
  await expect(page.getByTestId("jwt-verdict")).toBeVisible();
}

for (const [scheme, width, height] of VARIANTS) {
  test(`${scheme}, ${width} px`, async ({ browser, newAccount }) => {
    await resourceServer();
    const context = await browser.newContext({ colorScheme: scheme, viewport: { width, height } });
    const page = await context.newPage();

    await page.goto("/");
    await page.screenshot({ path: shot("landing", scheme, width) });

    // A run of its own, so the dashboard's table below shows one too.
    await page.goto("/lab");
    await page.getByTestId("run-lab").click();
    await expect(page.getByTestId("run-lab")).toHaveText("Run the lab", { timeout: 60_000 });
    await page.getByTestId("lab-run").screenshot({ path: shot("lab", scheme, width) });
    await page.getByTestId("revocation-timeline").screenshot({ path: shot("lab-timeline", scheme, width) });

    await dashboardSignedInBothWays(page, newAccount);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: shot("dashboard", scheme, width) });
    const workbench = page.getByTestId("workbench");
    await workbench.getByTestId("workbench-attack-alg-none").click();
    await expect(workbench.getByTestId("workbench-sent")).toHaveCount(1);
    await workbench.getByTestId("workbench-attack-hs256-public-key").click();
    await expect(workbench.getByTestId("workbench-sent")).toHaveCount(2);
    await workbench.screenshot({ path: shot("workbench", scheme, width) });

    await page.goto("/docs?app=site&services=yes&clients=no&revocation=next&store=yes");
    await page.locator("#guide").screenshot({ path: shot("guide", scheme, width) });

    await page.goto("/performance");
    // The throughput card, both databases side by side (one under the other at 390 px).
    await page
      .getByTestId("chart-rps-sqlite")
      .locator("xpath=ancestor::section[2]")
      .screenshot({
        path: shot("performance", scheme, width),
      });
    await page.getByTestId("store-work").screenshot({ path: shot("performance-store", scheme, width) });
    await context.close();
  });
}
