import { readFileSync } from "node:fs";
import { test, expect } from "@playwright/test";
import { BenchResult, isOtherServiceRoute } from "@/lib/showcase/bench-results";
import { formatMicros, formatRate } from "@/components/performance/format";
import { BENCH_RESULTS_FILE, SHORT_IDLE_PORT } from "../test-env";

// npm test writes this file with a short benchmark run before Playwright starts.
const result = () => BenchResult.parse(JSON.parse(readFileSync(BENCH_RESULTS_FILE, "utf8")));

test("the Performance page draws every route, primitive and the storm from the result file", async ({ page }) => {
  const bench = result();
  await page.goto("/performance");
  await expect(page.getByRole("heading", { name: "Performance, measured" })).toBeVisible();
  await expect(page.getByTestId("bench-run")).toContainText(bench.machine.cpu_model);
  await expect(page.getByTestId("bench-run")).toContainText(`${bench.settings.connections} connections`);

  for (const route of bench.routes) {
    // The resource server's routes are drawn in charts of their own.
    const charts = isOtherServiceRoute(route.name)
      ? ["chart-service-rps", "chart-service-p99"]
      : ["chart-rps", "chart-p99"];
    const rps = page.getByTestId(charts[0]!);
    await expect(rps.locator(`[data-bar="${route.name}"]`)).toHaveAttribute(
      "data-value",
      String(route.requests_per_sec),
    );
    await expect(rps.locator(`[data-bar="${route.name}"]`)).toContainText(`×${route.ratio_to_baseline.toFixed(2)}`);
    await expect(page.getByTestId(charts[1]!).locator(`[data-bar="${route.name}"]`)).toHaveAttribute(
      "data-value",
      String(route.p99_ms),
    );
  }
  for (const primitive of bench.primitives) {
    await expect(page.getByTestId("chart-primitives").locator(`[data-bar="${primitive.id}"]`)).toHaveAttribute(
      "data-value",
      String(primitive.us_per_op),
    );
  }
  await expect(page.getByTestId("chart-storm").locator('[data-bar="idle"]')).toHaveAttribute(
    "data-value",
    String(bench.storm.idle_p99_ms),
  );
  await expect(page.getByTestId("chart-storm").locator('[data-bar="during sign-ins"]')).toHaveAttribute(
    "data-value",
    String(bench.storm.storm_p99_ms),
  );
  for (const target of bench.targets)
    await expect(page.getByTestId("bench-targets")).toContainText(`${target.name} ${target.goal}: ${target.value}`);
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
  await expect(page.getByTestId("bench-missing")).toContainText("Not measured on this server yet");
  await expect(page.getByTestId("chart-rps")).toHaveCount(0);
  await page.goto(`http://localhost:${SHORT_IDLE_PORT}/`);
  await expect(page.getByTestId("bench-missing")).toContainText("npm run bench");
  await expect(page.getByTestId("tradeoff-table").getByRole("row", { name: /Throughput under load/ })).toContainText(
    "—",
  );
});
