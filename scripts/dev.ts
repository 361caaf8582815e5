// npm run dev: the demo's preparation, then the server in development mode
// (Next's dev server, with hot reload).
import { enableDemoControls, prepareApp, runServer } from "@/scripts/prepare";

enableDemoControls();
await prepareApp();
runServer("development");
