// npm start: the production server for a deployment. Secrets come from the
// environment (or SECRETS_FILE); none are generated here. It needs a build
// (`npm run build`) and applies any pending migration first, so a fresh
// database works; instances started together are safe (Prisma takes a lock).
// PORT chooses the port. The server is server.ts (Next behind a Node HTTP
// server that decides the client's address), never plain `next start`.
import { existsSync } from "node:fs";
import { loadConfig } from "@/lib/config";
import { migrateIfNeeded } from "@/scripts/db";
import { runServer } from "@/scripts/prepare";
import { SetupError } from "@/scripts/setup-error";

const config = loadConfig();
if (!existsSync(".next/BUILD_ID"))
  throw new SetupError("There is no production build in .next/: run `npm run build` first.");
await migrateIfNeeded(config.database.url);
runServer("production");
