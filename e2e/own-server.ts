// A server of its own for a test, on a fresh SQLite database of its own (rows
// written by the shared test servers, such as throttle counters, must not
// count there), for settings the shared test servers cannot have. `offset`
// keeps its port apart from the others'. `keepDatabase` starts it on the
// database a previous one left (a restart).
import { port, TEST_SERVER_ENV } from "./test-env";
import { startInstance, type Instance } from "@/scripts/instances";

export async function ownServer(
  name: string,
  offset: number,
  env: Record<string, string>,
  options: { keepDatabase?: boolean } = {},
): Promise<Instance> {
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
    logFile: `test-results/${name}.log`,
  });
}
