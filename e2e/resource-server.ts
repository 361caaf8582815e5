// resource-server/ for the tests, started as `npm run demo` starts it: an
// empty environment plus the issuer's URL and its own introspection
// credentials, on RESOURCE_SERVER_URL's port.
import { config } from "@/lib/config";
import { startInstance, type Instance } from "@/scripts/instances";
import { RESOURCE_SERVER_COMMAND, resourceServerEnv } from "@/scripts/resource-server";
import { INTROSPECTION_CLIENT, RESOURCE_SERVER_PORT } from "./test-env";

export function startTestResourceServer(): Promise<Instance> {
  return startInstance({
    name: "resource-server",
    port: RESOURCE_SERVER_PORT,
    command: RESOURCE_SERVER_COMMAND,
    env: resourceServerEnv(config(), RESOURCE_SERVER_PORT, INTROSPECTION_CLIENT.id),
    cleanEnv: true,
    healthPath: "/health",
    logFile: "test-results/resource-server.log",
    readyWithinMs: 30_000,
  });
}
