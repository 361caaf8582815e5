// npm run dev: the demo's preparation, then the server in development mode
// (Next's dev server, with hot reload), and the resource server beside it.
import {
  enableDemoControls,
  prepareApp,
  runServer,
  startResourceServer,
  setLocalResourceServerUrl,
} from "@/scripts/prepare";

enableDemoControls();
setLocalResourceServerUrl();
const config = await prepareApp();
runServer("development", [startResourceServer(config)]);
