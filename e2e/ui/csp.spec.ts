import type { Page } from "@playwright/test";
import { expect, test } from "../fixtures";

// Every page carries a strict, nonce-based Content-Security-Policy, and
// nothing on any page (Next's own scripts included) violates it.
const PAGES = [
  "/",
  "/dashboard",
  "/docs",
  "/docs/code/lib/config.ts",
  "/performance",
  "/performance/page-baseline",
  "/login",
  "/register",
  "/account",
  "/account/devices",
  "/no-such-page",
];

// What the browser reports as a violation, from now on: its event and its
// console message. visitEveryPage adds the events each page saw, and checks
// each page's policy.
function watchViolations(page: Page): Promise<string[]> {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(`${page.url()}: ${message.text()}`);
  });
  return page
    .addInitScript(() => {
      document.addEventListener("securitypolicyviolation", (event) => {
        (window as unknown as { __violations: string[] }).__violations ??= [];
        (window as unknown as { __violations: string[] }).__violations.push(
          `${event.violatedDirective} ${event.blockedURI}`,
        );
      });
    })
    .then(() => violations);
}

async function visitEveryPage(page: Page, violations: string[]): Promise<void> {
  for (const path of PAGES) {
    const response = await page.goto(path);
    const policy = response!.headers()["content-security-policy"] ?? "";
    expect(policy, path).toMatch(/script-src 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
    expect(policy, path).not.toContain("unsafe-inline");
    expect(policy, path).toContain("object-src 'none'");
    await page.waitForLoadState("networkidle");
    const seen = await page.evaluate(() => (window as unknown as { __violations?: string[] }).__violations ?? []);
    violations.push(...seen.map((v) => `${path}: ${v}`));
  }
}

test.describe("every page has a nonce-based policy and causes no violation, signed in or not", () => {
  test("signed out", async ({ page }) => {
    const violations = await watchViolations(page);
    await visitEveryPage(page, violations);
    expect(violations).toEqual([]);
  });

  // Through the form: the sign-in's own pages and redirect are watched too.
  test("signed in through the form", async ({ page, account }) => {
    const violations = await watchViolations(page);
    await page.goto("/login?next=/account");
    await page.getByLabel("Email").fill(account.email);
    await page.getByLabel("Password").fill(account.password);
    await page.getByRole("button", { name: "Sign in with a session" }).click();
    await expect(page.getByTestId("account-email")).toHaveText(account.email);
    await visitEveryPage(page, violations);
    expect(violations).toEqual([]);
  });
});

// No page may be framed, but the several-tabs experiment's hidden tab, and
// that one by this origin only (its iframes are the dashboard's own).
test("no page can be framed; the hidden tab only by this origin", async ({ request }) => {
  for (const path of ["/", "/dashboard", "/docs", "/performance", "/login", "/register", "/dashboard/hidden-tabs"]) {
    const headers = (await request.get(path)).headers();
    expect(headers["x-frame-options"], path).toBe("DENY");
    expect(headers["content-security-policy"], path).toContain("frame-ancestors 'none'");
  }
  const hidden = (await request.get("/dashboard/hidden-tab?tab=0&mode=locks")).headers();
  expect(hidden["x-frame-options"]).toBe("SAMEORIGIN");
  expect(hidden["content-security-policy"]).toContain("frame-ancestors 'self'");
});

test("a nonce is never reused", async ({ request }) => {
  const nonces = new Set<string>();
  for (let i = 0; i < 5; i++) {
    const policy = (await request.get("/")).headers()["content-security-policy"] ?? "";
    nonces.add(/'nonce-([^']+)'/.exec(policy)?.[1] ?? "");
  }
  expect(nonces.size).toBe(5);
});
