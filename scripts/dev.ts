// npm run dev: the demo's preparation, then the server in development mode
// (Next's dev server, with hot reload).
import { prepareApp, runServer } from "@/scripts/prepare";

await prepareApp();
runServer("development");
