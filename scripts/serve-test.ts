// A server Playwright starts: an emptied database at the committed
// migrations, the demo user, then the production build (server.ts) with
// resource-server/ beside it when RESOURCE_SERVER_URL is set, as
// `npm run demo` runs them, unless the caller runs its own there
// (SERVE_TEST_RESOURCE_SERVER=own: the bench, which measures its CPU apart).
// Further servers on the same database (E2E_KEEP_DATABASE=1) start as they
// are; Playwright starts them one after another.
import { readDatabaseConfig } from "@/lib/config";
import { resetDatabase } from "@/scripts/db";
import { prepareApp, runServer, startResourceServer } from "@/scripts/prepare";

if (process.env.E2E_KEEP_DATABASE !== "1") {
  await resetDatabase(readDatabaseConfig().url);
  const config = await prepareApp();
  const beside = config.resourceServerUrl && process.env.SERVE_TEST_RESOURCE_SERVER !== "own";
  runServer("production", beside ? [startResourceServer(config)] : []);
} else {
  runServer("production");
}
