// npm run test:repeat -- <spec file, folder or pattern> [more Playwright options]
// Runs the chosen specs several times over (REPEAT, 3 by default), against
// the production build (built first if the sources are newer), on SQLite:
// a flake shows up as a failure here instead of once in a while in CI.
// Two passes, as npm test runs them: the parallel projects with two
// workers, then the @serial ones alone, one at a time. Each pass gets the
// filter and the repeats itself (`--no-deps`): Playwright runs a project
// that others depend on once, unfiltered. Playwright's summary after each
// pass counts passed, failed and flaky tests (a pass with none of the chosen
// specs in it passes). With no argument, every spec.
import { spawnSync } from "node:child_process";
import { buildIfNeeded } from "@/scripts/instances";

const repeat = Number(process.env.REPEAT ?? 3);
if (!Number.isInteger(repeat) || repeat < 1) {
  console.error(`REPEAT must be a whole number of runs (got "${process.env.REPEAT}")`);
  process.exit(2);
}
buildIfNeeded();

function pass(projects: string[], workers: number): number {
  const run = spawnSync(
    "node_modules/.bin/playwright",
    [
      "test",
      ...projects.flatMap((name) => ["--project", name]),
      "--no-deps",
      "--pass-with-no-tests",
      "--repeat-each",
      String(repeat),
      "--workers",
      String(workers),
      ...process.argv.slice(2),
    ],
    { stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } },
  );
  return run.status ?? 1;
}

const parallel = pass(["api", "chromium"], 2);
const serial = pass(["api-serial", "chromium-serial"], 1);
process.exit(parallel || serial);
