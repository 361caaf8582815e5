// resource-server/ for the tests, started as `npm run demo` starts it: an
// empty environment plus the issuer's URL and its own introspection
// credentials, on RESOURCE_SERVER_URL's port.
import { config } from "@/lib/config";
import type { Instance } from "@/scripts/instances";
import { settingsFor, startResourceServer } from "@/scripts/resource-server";
import { INTROSPECTION_CLIENT, RESOURCE_SERVER_PORT } from "./test-env";

export function startTestResourceServer(): Promise<Instance> {
  return startResourceServer(
    settingsFor(config(), RESOURCE_SERVER_PORT, INTROSPECTION_CLIENT.id),
    "test-results/resource-server.log",
  );
}
