// npm run demo: from a fresh clone (after npm ci) to a running production
// server with the demo user, in one command. Builds only when the sources
// are newer than the last build.
import { DEMO_USER } from "@/lib/showcase/demo";
import { prepareLocalApp, runServer, startResourceServer } from "@/scripts/prepare";
import { buildIfNeeded } from "@/scripts/instances";

const config = await prepareLocalApp();
buildIfNeeded();
console.log(
  `\nsession-vs-jwt on http://localhost:${config.port} (demo user: ${DEMO_USER.email} / ${DEMO_USER.password})` +
    `\nresource server (another service that accepts its access tokens) on ${config.resourceServerUrl}\n`,
);
runServer("production", [startResourceServer(config)]);
