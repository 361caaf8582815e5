// npm run dev: the demo's preparation, then Next's dev server.
import { prepareApp, runNext } from "@/scripts/prepare";

const { port } = await prepareApp();
runNext(["dev", "-p", String(port)]);
