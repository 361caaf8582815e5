// Loaded once per server process (instrumentation.ts): a bad or missing
// configuration, a start that bypasses server.ts, a database without tables
// or one that does not answer stops the start with one line saying what to
// do, instead of a server that fails (or misjudges) every request. SQLite's settings, a signing key and the denylist switch are
// in place before the first request.
import { config } from "@/lib/config";
import { dbReady } from "@/lib/db";
import { isDatabaseUnavailable } from "@/lib/database-errors";
import { startedByServerEntry } from "@/lib/server-entry";

function stop(message: string): never {
  console.error(`\n${message}\n`);
  process.exit(1);
}

// Prisma's code for "the table does not exist".
const isMissingTable = (error: unknown) => (error as { code?: unknown } | null)?.code === "P2021";

try {
  config();
} catch (error) {
  stop((error as Error).message);
}
if (!startedByServerEntry()) {
  stop(
    "Start the app with `npm start` (or `npm run demo`, `npm run dev`), not `next start`: server.ts decides each client's address from the connection, while `next start` lets any client write its own (X-Forwarded-For).",
  );
}
try {
  await dbReady();
  // Signing keys exist from the first start, so the JWKS is never empty.
  await (await import("@/lib/auth/keys")).getSigningKey();
  // The denylist switch too: read once now, then kept current by its timer.
  await (await import("@/lib/auth/denylist")).isDenylistEnabled();
  // An unknown email costs one bcrypt comparison, from the first one on.
  await (await import("@/lib/auth/password")).prepareDummyHash();
  // Expired rows are deleted in the background from now on.
  (await import("@/lib/auth/prune")).startPruning();
} catch (error) {
  if (isMissingTable(error))
    stop("The database has no tables yet: run `npm run db:migrate` (`npm start` does it for you).");
  if ((error as Error).name === "KeyDecryptionError") {
    stop(
      `${(error as Error).message} Start with the AUTH_SECRET that created it; after changing AUTH_SECRET on purpose, run \`npm run keys:rotate\` (tokens signed before then stop verifying).`,
    );
  }
  if (isDatabaseUnavailable(error))
    stop(
      `The database does not answer (${(error as Error).message.trim().split("\n").at(-1)}): start it or fix DATABASE_URL.`,
    );
  console.error(error);
  process.exit(1);
}
