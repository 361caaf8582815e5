// Loaded before every command's own script (`tsx --import ./scripts/preflight.ts …`
// in package.json), because a script's imports are all resolved before any
// of its code runs:
// - the generated Prisma clients are made if they are missing (a clone
//   installed with --ignore-scripts, or prisma/generated/ deleted), so no
//   command dies on an import it could not resolve;
// - a setup problem (a bad or missing variable, no build, a database that
//   cannot be reached) ends the command with one line saying what to do,
//   not a stack trace. Anything else is a bug and is shown in full.
import { clientsGenerated, generateClients } from "./generated-clients";

if (!clientsGenerated()) {
  console.log("Generating the Prisma clients (prisma/generated/ is missing; `npm ci` normally does this)…");
  try {
    generateClients();
  } catch {
    console.error("\nCould not generate the Prisma clients: run `npm run db:generate` to see why.");
    process.exit(2);
  }
}

const SETUP_ERRORS = new Set(["ConfigError", "SetupError"]);

function fail(error: unknown): never {
  if (error instanceof Error && SETUP_ERRORS.has(error.name)) {
    console.error(`\n${error.message}\n`);
    process.exit(2);
  }
  console.error(error);
  process.exit(1);
}

process.on("uncaughtException", fail);
process.on("unhandledRejection", fail);
