import { defineConfig, devices } from "@playwright/test";
import { chromiumPath, databaseUrl, port, SHORT_IDLE_PORT, TEST_SERVER_ENV } from "./e2e/test-env";

// Tests read and write the same database as the servers (lib/db.ts) with the
// same secrets, so they can inspect rows and sign crafted tokens.
Object.assign(process.env, TEST_SERVER_ENV, { DATABASE_URL: databaseUrl });

const chromium = {
  ...devices["Desktop Chrome"],
  launchOptions: {
    executablePath: chromiumPath,
    args: ["--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  },
};

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  // Browser flows with two or three contexts take ~15 s on a quiet 2-core
  // machine; the default 30 s left too little room on a busy one.
  timeout: 60_000,
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
    { name: "chromium", testMatch: "ui/**/*.spec.ts", use: chromium },
    // Pictures for people (docs/screenshots/), not checks: npm run screenshots.
    { name: "screenshots", testMatch: "screenshots/**/*.spec.ts", use: chromium },
  ],
  webServer: [
    {
      command: "node_modules/.bin/tsx scripts/serve-test.ts",
      url: `http://localhost:${port}/`,
      env: TEST_SERVER_ENV,
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: "ignore",
      stderr: "pipe",
    },
    {
      command: "node_modules/.bin/tsx scripts/serve-test.ts",
      url: `http://localhost:${SHORT_IDLE_PORT}/`,
      env: {
        ...TEST_SERVER_ENV,
        PORT: String(SHORT_IDLE_PORT),
        SESSION_IDLE_TIMEOUT: "8s",
        // Access tokens that expire while a test watches (e2e/ui/tabs.spec.ts).
        ACCESS_TOKEN_TTL: "5s",
        DEMO_CONTROLS: "",
        E2E_KEEP_DATABASE: "1",
        BENCH_RESULTS_FILE: "data/test/no-bench-result.json",
      },
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: "ignore",
      stderr: "pipe",
    },
  ],
});
