// Loaded once per server process (instrumentation.ts): a bad or missing
// configuration stops the start with one clear line instead of failing the
// first request, and SQLite's settings are applied before any request.
import { config } from "@/lib/config";
import { dbReady } from "@/lib/db";

try {
  config();
} catch (error) {
  console.error(`\n${(error as Error).message}\n`);
  process.exit(1);
}
await dbReady();
