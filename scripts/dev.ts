// npm run dev: the demo's preparation, then the server in development mode
// (Next's dev server, with hot reload), and the resource server beside it.
import { prepareLocalApp, runServer, startResourceServer } from "@/scripts/prepare";

const config = await prepareLocalApp();
runServer("development", [startResourceServer(config)]);
