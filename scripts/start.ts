// npm start: the production server for a deployment. Secrets come from the
// environment (or SECRETS_FILE); none are generated here. It needs a build
// (`npm run build`) and applies any pending migration first, so a fresh
// database works; instances started together are safe (Prisma takes a lock).
// Arguments go to `next start` (`npm start -- -p 8080`; PORT works too).
import { existsSync } from "node:fs";
import { loadConfig } from "@/lib/config";
import { migrateIfNeeded } from "@/scripts/db";
import { runNext } from "@/scripts/prepare";
import { SetupError } from "@/scripts/setup-error";

const config = loadConfig();
if (!existsSync(".next/BUILD_ID")) throw new SetupError("There is no production build in .next/: run `npm run build` first.");
await migrateIfNeeded(config.database.url);
runNext(["start", ...process.argv.slice(2)]);
