import { expect, test } from "@playwright/test";
import { PASSWORD, registerUser } from "../helpers";

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

test("every page has a nonce-based policy and causes no violation, signed in or not", async ({ page, request }) => {
  test.setTimeout(90_000);
  const violations: string[] = [];
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      (window as unknown as { __violations: string[] }).__violations ??= [];
      (window as unknown as { __violations: string[] }).__violations.push(
        `${event.violatedDirective} ${event.blockedURI}`,
      );
    });
  });
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(`${page.url()}: ${message.text()}`);
  });
  const visitAll = async () => {
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
  };
  await visitAll();
  const user = await registerUser(request);
  await page.goto("/login?next=/account");
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in with a session" }).click();
  await expect(page.getByTestId("account-email")).toHaveText(user.email);
  await visitAll();
  expect(violations).toEqual([]);
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
