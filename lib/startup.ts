// Loaded once per server process (instrumentation.ts): a bad or missing
// configuration stops the start with one clear line instead of failing the
// first request, and SQLite's settings and a signing key are in place before
// any request.
import { config } from "@/lib/config";
import { dbReady } from "@/lib/db";

try {
  config();
} catch (error) {
  console.error(`\n${(error as Error).message}\n`);
  process.exit(1);
}
await dbReady();
// SPEC §5: signing keys exist from the first start, so the JWKS is never empty.
await (await import("@/lib/auth/keys")).getSigningKey();
// The denylist switch too: read once now, then kept current by its timer.
await (await import("@/lib/auth/denylist")).isDenylistEnabled();
