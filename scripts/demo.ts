// npm run demo: from a fresh clone (after npm ci) to a running production
// server with the demo user, in one command. Builds only when the sources
// are newer than the last build.
import { DEMO_USER } from "@/lib/showcase/demo";
import { enableDemoControls, prepareApp, runServer } from "@/scripts/prepare";
import { buildIfNeeded } from "@/scripts/instances";

enableDemoControls();
const { port } = await prepareApp();
buildIfNeeded();
console.log(`\nsession-vs-jwt on http://localhost:${port} (demo user: ${DEMO_USER.email} / ${DEMO_USER.password})\n`);
runServer("production");
