// The server Playwright starts: an emptied database at the committed
// migrations, the demo user, then the production build (`next start`).
import { readDatabaseConfig } from "@/lib/config";
import { resetDatabase } from "@/scripts/db";
import { prepareApp, runNext } from "@/scripts/prepare";

await resetDatabase(readDatabaseConfig().url);
const { port } = await prepareApp();
runNext(["start", "-p", String(port)]);
