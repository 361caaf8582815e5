import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { expect, test } from "../fixtures";
import { requestFrom } from "../from-address";
import { SERVER_COMMAND, startInstance } from "@/scripts/instances";
import { port } from "../test-env";

// Starting the server wrongly must end at once with one line that says what
// to do, never a stack trace or a server that fails every request. @once:
// these start servers of their own on SQLite files, so scripts/test.ts runs
// them in the SQLite pass only.
const BASE_ENV: NodeJS.ProcessEnv = {
  PATH: process.env.PATH ?? "",
  NODE_ENV: "production",
  NEXT_TELEMETRY_DISABLED: "1",
  // Clear of the test servers' ports (test-env.ts) and of each other.
  PORT: String(port + 21),
};
const SECRETS = {
  AUTH_SECRET: "startup-test-secret-0123456789abcdefghijkl",
  SESSION_PASSWORDS: "1:startup-test-cookie-password-0123456789ab",
};

async function run(command: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  const [file, ...args] = command;
  const child = spawn(file!, args, { env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => {
      process.kill(-child.pid!, "SIGKILL");
      resolve(null);
    }, 30_000);
    child.on("exit", (exitCode) => {
      clearTimeout(timer);
      resolve(exitCode);
    });
  });
  return { code, output };
}

function stackLines(output: string): string[] {
  return output.split("\n").filter((line) => /^\s+at /.test(line));
}

test("next start without secrets exits with a one-line reason", { tag: "@once" }, async () => {
  test.setTimeout(40_000);
  const { code, output } = await run(["node_modules/.bin/next", "start"], {
    ...BASE_ENV,
    DATABASE_URL: "file:./data/test/startup.db",
    SECRETS_FILE: "data/test/no-such-secrets.json",
  });
  expect(code).toBe(1);
  expect(output).toContain("Invalid configuration: AUTH_SECRET is not set and");
  expect(output).toContain("run `npm run demo` once");
  expect(stackLines(output)).toEqual([]);
});

test("npm start without secrets exits with the same one line, before anything else", { tag: "@once" }, async () => {
  test.setTimeout(40_000);
  const { code, output } = await run(["npm", "start"], {
    ...BASE_ENV,
    DATABASE_URL: "file:./data/test/startup.db",
    SECRETS_FILE: "data/test/no-such-secrets.json",
  });
  expect(code).toBe(2);
  expect(output).toContain("Invalid configuration: AUTH_SECRET is not set and");
  expect(stackLines(output)).toEqual([]);
});

test(
  "next start, bypassing server.ts, refuses to serve: it would believe a client's own X-Forwarded-For",
  { tag: "@once" },
  async () => {
    test.setTimeout(40_000);
    const { code, output } = await run(["node_modules/.bin/next", "start"], {
      ...BASE_ENV,
      ...SECRETS,
      DATABASE_URL: "file:./data/test/startup.db",
    });
    expect(code).toBe(1);
    expect(output).toContain("Start the app with `npm start` (or `npm run demo`, `npm run dev`), not `next start`");
    expect(stackLines(output)).toEqual([]);
  },
);

test("the server on a database without tables exits, saying to run the migrations", { tag: "@once" }, async () => {
  test.setTimeout(40_000);
  const file = "data/test/startup-empty.db";
  rmSync(file, { force: true });
  const { code, output } = await run(SERVER_COMMAND, { ...BASE_ENV, ...SECRETS, DATABASE_URL: `file:./${file}` });
  expect(code).toBe(1);
  expect(output).toContain("The database has no tables yet: run `npm run db:migrate`");
  expect(stackLines(output)).toEqual([]);
});

test(
  "npm start on an empty database applies the migrations, then serves through server.ts",
  { tag: "@once" },
  async () => {
    test.setTimeout(90_000);
    rmSync("data/test/npm-start.db", { force: true });
    const server = await startInstance({
      name: "npm start",
      port: port + 20,
      command: ["npm", "start"],
      env: { ...BASE_ENV, ...SECRETS, DATABASE_URL: "file:./data/test/npm-start.db" },
      logFile: "test-results/npm-start.log",
    });
    try {
      const account = { email: `npm-start-${Date.now()}@example.com`, password: "a test password" };
      expect((await requestFrom("127.0.0.2", `${server.url}/api/auth/register`, { body: account })).status).toBe(201);
      // server.ts decided the address: the client's own header is not believed.
      const signIn = await requestFrom("127.0.0.2", `${server.url}/api/session`, {
        body: account,
        headers: { "x-forwarded-for": "203.0.113.9" },
      });
      expect(signIn.status).toBe(200);
      expect((signIn.json!.session as { ip: string }).ip).toBe("127.0.0.2");
    } finally {
      await server.stop();
    }
  },
);
