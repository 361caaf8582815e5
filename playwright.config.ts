import { existsSync } from "node:fs";
import { defineConfig, devices } from "@playwright/test";

// Test-harness settings (not the app's): which database the test server
// uses and where a browser is. scripts/test.ts sets E2E_DATABASE_URL for the
// PostgreSQL run; Debian's Chromium is used when present, since Playwright's
// own browser download is not available offline.
const port = Number(process.env.E2E_PORT ?? 3100);
const databaseUrl = process.env.E2E_DATABASE_URL ?? "file:./data/test/e2e.db";
const chromium = process.env.CHROMIUM_PATH ?? (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);

export const TEST_SERVER_ENV = {
  PORT: String(port),
  DATABASE_URL: databaseUrl,
  AUTH_SECRET: "e2e-auth-secret-0123456789abcdefghijklmnopq",
  SESSION_PASSWORDS: "1:e2e-cookie-password-0123456789abcdefghij",
  BCRYPT_COST: "4",
};

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: [["list"]],
  outputDir: "test-results",
  use: {
    baseURL: `http://localhost:${port}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [
    { name: "api", testMatch: "api/**/*.spec.ts" },
    {
      name: "chromium",
      testMatch: "ui/**/*.spec.ts",
      use: {
        ...devices["Desktop Chrome"],
        launchOptions: {
          executablePath: chromium,
          args: ["--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        },
      },
    },
  ],
  webServer: {
    command: "node_modules/.bin/tsx scripts/serve-test.ts",
    url: `http://localhost:${port}/`,
    env: TEST_SERVER_ENV,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "ignore",
    stderr: "pipe",
  },
});
