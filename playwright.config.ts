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

// Two workers, every test on its own: a test gets its own account and
// browser context (e2e/fixtures/), so it may run beside any other. Tests
// tagged @serial change what the whole server does for everyone (denylist
// mode switched on, a signing key rotated, a snapshot of every row, a
// flood measured against the clock): they run after the others, one at a
// time. On PostgreSQL only the API projects run (scripts/test.ts), so
// there the serial API tests wait for the API tests alone, and the tests
// tagged @once are left out: they run servers or programs of their own,
// whose behaviour does not depend on the database engine.
const SERIAL = /@serial/;
const onPostgres = databaseUrl.startsWith("postgres");
const ONCE = /@once/;

export default defineConfig({
  testDir: "e2e",
  fullyParallel: true,
  workers: 2,
  retries: 0,
  // Browser flows with two or three contexts take ~15 s on a quiet 2-core
  // machine; the default 30 s left too little room on a busy one.
  timeout: 60_000,
  forbidOnly: !!process.env.CI,
  reporter: [["list"]],
  // Apart for a run beside this one (scripts/test.ts runs the PostgreSQL
  // API tests at the same time): each run empties its own at the start.
  outputDir: process.env.E2E_OUTPUT_DIR ?? "test-results",
  use: {
    baseURL: `http://localhost:${port}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [
    { name: "api", testMatch: "api/**/*.spec.ts", grepInvert: onPostgres ? [SERIAL, ONCE] : SERIAL },
    { name: "chromium", testMatch: "ui/**/*.spec.ts", grepInvert: SERIAL, use: chromium },
    {
      name: "api-serial",
      testMatch: "api/**/*.spec.ts",
      grep: SERIAL,
      grepInvert: onPostgres ? ONCE : undefined,
      workers: 1,
      fullyParallel: false,
      dependencies: onPostgres ? ["api"] : ["api", "chromium"],
    },
    {
      name: "chromium-serial",
      testMatch: "ui/**/*.spec.ts",
      grep: SERIAL,
      workers: 1,
      fullyParallel: false,
      dependencies: ["api-serial"],
      use: chromium,
    },
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
