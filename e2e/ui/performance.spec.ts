import { readFileSync } from "node:fs";
import { expect, signInBrowser, test } from "../fixtures";
import { BenchResult, benchResultsFile, isOtherServiceRoute, type Database } from "@/lib/showcase/bench-results";
import { formatMicros, formatRate, formatReads, formatWholeMicros } from "@/components/performance/format";
import { BENCH_RESULTS_FILE, SHORT_IDLE_PORT } from "../test-env";

// npm test writes these files with a short benchmark run on each database
// before Playwright starts; without PostgreSQL (no TEST_DATABASE_URL) only
// the SQLite one.
const resultFor = (database: Database) =>
  BenchResult.parse(JSON.parse(readFileSync(benchResultsFile(database, BENCH_RESULTS_FILE), "utf8")));
const result = () => resultFor("sqlite");
const measured: Database[] = process.env.TEST_DATABASE_URL ? ["sqlite", "postgres"] : ["sqlite"];

test("the Performance page draws every route, primitive and the storm from each database's result, side by side", async ({
  page,
}) => {
  await page.goto("/performance");
  await expect(page.getByRole("heading", { name: "Performance, measured" })).toBeVisible();
  for (const database of measured) {
    const bench = resultFor(database);
    expect(bench.settings.database).toBe(database);
    const id = (name: string) => page.getByTestId(`${name}-${database}`);
    await expect(id("bench-run")).toContainText(bench.machine.cpu_model);
    await expect(id("bench-run")).toContainText(`${bench.settings.connections} connections`);
    await expect(id("bench-run")).toContainText(database === "sqlite" ? "SQLite" : "PostgreSQL");

    for (const route of bench.routes) {
      // The resource server's routes are drawn in charts of their own.
      const charts = isOtherServiceRoute(route.name)
        ? ["chart-service-rps", "chart-service-p99"]
        : ["chart-rps", "chart-p99"];
      const bar = id(charts[0]!).locator(`[data-bar="${route.name}"]`);
      await expect(bar).toHaveAttribute("data-value", String(route.requests_per_sec));
      // Pages against the page baseline, the rest against /api/health.
      await expect(bar).toContainText(`×${(route.ratio_to_page_baseline ?? route.ratio_to_baseline).toFixed(2)}`);
      await expect(id(charts[1]!).locator(`[data-bar="${route.name}"]`)).toHaveAttribute(
        "data-value",
        String(route.p99_ms),
      );
      if (isOtherServiceRoute(route.name)) continue;
      // This run measured both: the server's CPU for every route, and the
      // auth check's own time for every API route that checks a credential
      // (a page cannot add a response header; /account prints its check).
      expect(route.server_cpu_us_per_request).toBeGreaterThan(0);
      if (/^(jwt|session)/.test(route.name) && route.ratio_to_page_baseline === undefined)
        expect(route.auth_check_p50_us).toBeGreaterThan(0);
      const ratios = id("ratios").locator(`tr[data-route="${route.name}"]`);
      await expect(ratios.getByRole("cell")).toHaveText([
        `×${route.ratio_to_baseline.toFixed(2)}`,
        `×${route.ratio_to_bare.toFixed(2)}`,
        route.ratio_to_page_baseline === undefined ? "—" : `×${route.ratio_to_page_baseline.toFixed(2)}`,
        formatWholeMicros(route.server_cpu_us_per_request),
        formatWholeMicros(route.auth_check_p50_us),
        formatReads(route.store_reads_per_request),
        route.ratio_to_server_session === undefined ? "—" : `×${route.ratio_to_server_session.toFixed(2)}`,
      ]);
    }
    // The store's work under each route's load: a design that reads a row per
    // check sent about one query per request, one that reads nothing none;
    // PostgreSQL's CPU per request and the cores projected from it, SQLite none.
    const store = (name: string) => bench.routes.find((route) => route.name === name)!;
    for (const name of ["lab-server-session", "lab-opaque-bearer", "session-json"]) {
      expect(store(name).store_queries_per_1000_requests!, name).toBeGreaterThanOrEqual(990);
      expect(store(name).store_queries_per_1000_requests!, name).toBeLessThan(1100);
    }
    for (const name of ["lab-sealed-cookie", "lab-bearer-jwt", "jwt", "baseline"]) {
      expect(store(name).store_queries_per_1000_requests!, name).toBeLessThan(50);
    }
    for (const route of bench.routes.filter((r) => !isOtherServiceRoute(r.name))) {
      const row = id("store-work").locator(`tr[data-route="${route.name}"]`);
      await expect(row.getByTestId("store-queries")).toHaveText(
        Math.round(route.store_queries_per_1000_requests!).toLocaleString("en"),
      );
      if (database === "sqlite") {
        expect(route.store_cpu_us_per_request).toBeNull();
        await expect(row.getByTestId("store-cpu")).toHaveText("—");
        await expect(row.getByTestId("store-cores-10000")).toHaveText("—");
      } else {
        await expect(row.getByTestId("store-cpu")).toHaveText(formatWholeMicros(route.store_cpu_us_per_request));
        const cores = (route.store_cpu_us_per_request! * 100_000) / 1_000_000;
        await expect(row.getByTestId("store-cores-100000")).toHaveText(
          cores < 10 ? cores.toFixed(2) : cores.toFixed(0),
        );
      }
    }
    if (database === "postgres") expect(store("lab-server-session").store_cpu_us_per_request).toBeGreaterThan(0);

    for (const primitive of bench.primitives) {
      await expect(id("chart-primitives").locator(`[data-bar="${primitive.id}"]`)).toHaveAttribute(
        "data-value",
        String(primitive.us_per_op),
      );
    }
    await expect(id("chart-storm").locator('[data-bar="idle"]')).toHaveAttribute(
      "data-value",
      String(bench.storm.idle_p99_ms),
    );
    await expect(id("chart-storm").locator('[data-bar="during sign-ins"]')).toHaveAttribute(
      "data-value",
      String(bench.storm.storm_p99_ms),
    );
    for (const target of bench.targets)
      await expect(id("bench-targets")).toContainText(`${target.name} ${target.goal}: ${target.value}`);
  }
  // Side by side on a wide screen: the two columns start at the same height.
  if (measured.length === 2) {
    const [left, right] = await Promise.all(
      measured.map((database) => page.getByTestId(`chart-rps-${database}`).boundingBox()),
    );
    expect(right!.y).toBe(left!.y);
    expect(right!.x).toBeGreaterThan(left!.x + left!.width);
  }
});

test("the page baseline is the account page's body from a sample, with no credential, its forms inert", async ({
  page,
  account: user,
}) => {
  await page.goto("/performance/page-baseline");
  await expect(page.getByRole("heading", { name: "Account", exact: true })).toBeVisible();
  await expect(page.getByTestId("account-email")).toHaveText("sample@example.invalid");
  await expect(page.getByTestId("session-details")).toContainText("192.0.2.1");
  await expect(page.getByText("A sample, not an account")).toBeVisible();
  // Nobody is signed in: the header still offers sign-in.
  await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();

  // Signed in, the sample's forms still cannot sign this visitor out or
  // change their password: they have no action and every control is disabled.
  await signInBrowser(page.context(), user, { token: false });
  await page.goto("/performance/page-baseline");
  await expect(page.getByTestId("account-email")).toHaveText("sample@example.invalid");
  await expect(page.getByTestId("signed-in-as")).toHaveText(user.email);
  const main = page.getByRole("main");
  await expect(main.getByRole("button", { name: "Sign out" })).toBeDisabled();
  await expect(main.getByRole("button", { name: "Change password" })).toBeDisabled();
  await expect(main.getByLabel("Current password")).toBeDisabled();
  await expect(main.locator("form[action]")).toHaveCount(0);
});

test("the landing page and /docs show the measured trade-offs, not adjectives", async ({ page }) => {
  const bench = result();
  const sessionJson = bench.routes.find((route) => route.name === "session-json")!;
  const jwt = bench.routes.find((route) => route.name === "jwt")!;
  for (const path of ["/", "/docs"]) {
    await page.goto(path);
    const table = page.getByTestId("tradeoff-table");
    const throughput = table.getByRole("row", { name: /Throughput under load/ });
    await expect(throughput).toContainText(formatRate(sessionJson.requests_per_sec));
    await expect(throughput).toContainText(formatRate(jwt.requests_per_sec));
    await expect(table.getByRole("row", { name: /Sent with every request/ })).toContainText(
      `${bench.credentials.session_cookie_bytes} bytes`,
    );
    await expect(table).not.toContainText("—");
    await expect(page.getByTestId("tradeoff-source")).toContainText(bench.machine.cpu_model);
  }
  // The usual claims about JWTs on /docs carry the numbers that answer them.
  const sessionCheck = bench.primitives.find((primitive) => primitive.id === "session-check")!;
  const measured = page.getByTestId("claim-measured");
  await expect(measured).toHaveCount(2);
  await expect(measured.first()).toContainText(`a session check ${formatMicros(sessionCheck.us_per_op)}`);
  await expect(measured.first()).toContainText(`×${sessionJson.ratio_to_baseline.toFixed(2)} (session)`);
  await page.getByTestId("tradeoff-source").getByRole("link", { name: "Charts and method" }).click();
  await expect(page).toHaveURL(/\/performance$/);
});

test("without a benchmark result, pages say so instead of showing numbers", async ({ page }) => {
  await page.goto(`http://localhost:${SHORT_IDLE_PORT}/performance`);
  // One column per database, each saying so.
  await expect(page.getByTestId("bench-missing")).toHaveCount(2);
  await expect(page.getByTestId("bench-missing").first()).toContainText("Not measured on this server yet");
  await expect(page.getByTestId(/^chart-/)).toHaveCount(0);
  await page.goto(`http://localhost:${SHORT_IDLE_PORT}/`);
  await expect(page.getByTestId("bench-missing")).toContainText("npm run bench");
  await expect(page.getByTestId("tradeoff-table").getByRole("row", { name: /Throughput under load/ })).toContainText(
    "—",
  );
});
