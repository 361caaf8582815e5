// npm run test:repeat -- <spec file, folder or pattern> [more Playwright options]
// Runs the chosen specs several times over (REPEAT, 3 by default) with two
// workers, against the production build (built first if the sources are
// newer), on SQLite: a flake shows up as a failure here instead of once in
// a while in CI. Playwright's summary at the end counts passed, failed and
// flaky tests. With no argument, the API and browser projects whole.
import { spawnSync } from "node:child_process";
import { buildIfNeeded } from "@/scripts/instances";

const repeat = Number(process.env.REPEAT ?? 3);
if (!Number.isInteger(repeat) || repeat < 1) {
  console.error(`REPEAT must be a whole number of runs (got "${process.env.REPEAT}")`);
  process.exit(2);
}
buildIfNeeded();
const projects = ["api", "chromium", "api-serial", "chromium-serial"].flatMap((name) => ["--project", name]);
const run = spawnSync(
  "node_modules/.bin/playwright",
  ["test", ...projects, "--repeat-each", String(repeat), "--workers", "2", ...process.argv.slice(2)],
  { stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } },
);
process.exit(run.status ?? 1);
