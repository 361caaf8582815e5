import { defineConfig, devices } from "@playwright/test";
import { chromiumPath } from "./e2e/test-env";

// The multi-instance, outage, restart and load tests (e2e/cluster): each
// spec file starts its own PostgreSQL database and app instances
// (e2e/cluster/cluster.ts), so there is no webServer here. Needs
// TEST_DATABASE_URL; npm test runs it when that is set.
export default defineConfig({
  testDir: "e2e/cluster",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 180_000,
  forbidOnly: !!process.env.CI,
  reporter: [["list"]],
  outputDir: "test-results-cluster",
  use: {
    ...devices["Desktop Chrome"],
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: chromiumPath,
      args: ["--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    },
  },
});
