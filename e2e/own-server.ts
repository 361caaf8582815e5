// A server of its own for a test, on a fresh SQLite database of its own (rows
// written by the shared test servers, such as throttle counters, must not
// count there), for settings the shared test servers cannot have. `offset`
// keeps its port apart from the others'. `keepDatabase` starts it on the
// database a previous one left (a restart). Its output goes to
// test-results/<name>.log, begun afresh unless it is a restart.
import { rmSync } from "node:fs";
import { test } from "./fixtures";
import { port, TEST_SERVER_ENV } from "./test-env";
import { startInstance, type Instance } from "@/scripts/instances";

export async function ownServer(
  name: string,
  offset: number,
  env: Record<string, string>,
  options: { keepDatabase?: boolean } = {},
): Promise<Instance> {
  const logFile = `test-results/${name}.log`;
  if (!options.keepDatabase) rmSync(logFile, { force: true });
  return startInstance({
    name,
    port: port + offset,
    command: ["node_modules/.bin/tsx", "scripts/serve-test.ts"],
    env: {
      ...TEST_SERVER_ENV,
      PORT: String(port + offset),
      DATABASE_URL: `file:./data/test/${name}.db`,
      // The main test server's resource server is the only one.
      RESOURCE_SERVER_URL: "",
      ...(options.keepDatabase ? { E2E_KEEP_DATABASE: "1" } : {}),
      ...env,
    },
    logFile,
  });
}

// For a describe whose tests share one such server: started before its
// first test, stopped after its last, its tests kept in one worker (two
// workers would each start one on the same port). Call it inside the
// describe; `url` is there once the tests run.
export function useOwnServer(name: string, offset: number, env: Record<string, string>): { readonly url: string } {
  let instance: Instance | undefined;
  test.describe.configure({ mode: "default" });
  test.beforeAll(async () => {
    test.setTimeout(60_000);
    instance = await ownServer(name, offset, env);
  });
  test.afterAll(async () => instance?.stop());
  return {
    get url() {
      if (!instance) throw new Error(`the server ${name} is not running`);
      return instance.url;
    },
  };
}
