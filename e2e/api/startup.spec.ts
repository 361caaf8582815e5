import { spawn } from "node:child_process";
import { expect, test } from "@playwright/test";

// A production start with no secrets in the environment and no generated
// secrets file must refuse to run, naming what to set.
test("next start without secrets exits with a one-line reason", async () => {
  test.setTimeout(30_000);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? "",
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    DATABASE_URL: "file:./data/test/startup.db",
    SECRETS_FILE: "data/test/no-such-secrets.json",
  };
  const server = spawn("node_modules/.bin/next", ["start", "-p", "3199"], { env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  server.stdout.on("data", (chunk) => (output += chunk));
  server.stderr.on("data", (chunk) => (output += chunk));
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => {
      server.kill("SIGKILL");
      resolve(null);
    }, 20_000);
    server.on("exit", (exitCode) => {
      clearTimeout(timer);
      resolve(exitCode);
    });
  });
  expect(code).toBe(1);
  expect(output).toContain("Invalid configuration: AUTH_SECRET is not set and");
  expect(output).toContain("run `npm run demo` once");
});
