// The server entry: Next's request handler behind a plain Node HTTP server
// (Next's documented custom server), for what only code holding the socket
// can do before Next sees a request:
// - the client's address, host and scheme come from the connection, or from
//   the proxies TRUSTED_PROXIES says are in front (lib/forwarded.ts), never
//   from headers a client wrote; `next start` keeps a client's own
//   X-Forwarded-For, so the app refuses to run under it (lib/startup.ts);
// - a path with a malformed percent-escape is a 400 and TRACE a 405, where
//   Next would answer 500 (Node's parser already refuses TRACK and CONNECT
//   goes to the server's "connect" event, which nothing here listens to);
//   `OPTIONS *` is a 204, any other target that is not a path a 400, and an
//   absolute URL is rewritten to its path (lib/request-target.ts);
// - the dashboard's simulated database outage is scoped to the requests that
//   carry its key (lib/showcase/simulated-outage.ts): the one place the
//   showcase reaches into request handling.
//
//   tsx server.ts [--dev]      (npm start, npm run demo, npm run dev do this)
import http from "node:http";
import next from "next";
import { isLoopbackHost, loadConfig, type Config } from "@/lib/config";
import { errorResponse, type AppError } from "@/lib/errors";
import { applyForwarded, resolveForwarded } from "@/lib/forwarded";
import { readRequestTarget } from "@/lib/request-target";
import { SERVER_ENTRY_MARK } from "@/lib/server-entry";
import { exposedDemoControlsWarning } from "@/lib/showcase/demo-controls";
import { installSimulatedOutage, OUTAGE_HEADER, withSimulatedOutage } from "@/lib/showcase/simulated-outage";

const dev = process.argv.includes("--dev");
let settings: Config;
try {
  settings = loadConfig();
} catch (error) {
  console.error(`\n${(error as Error).message}\n`);
  process.exit(2);
}
const { port, host, trustedProxies } = settings;
process.env[SERVER_ENTRY_MARK.name] = SERVER_ENTRY_MARK.value;

const app = next({ dev, dir: process.cwd(), port });
const handle = app.getRequestHandler();

// The app's one mapping of errors to HTTP (lib/errors.ts), written to the socket.
async function refuse(response: http.ServerResponse, error: AppError): Promise<void> {
  const answer = errorResponse(error);
  response.writeHead(answer.status, { ...Object.fromEntries(answer.headers), connection: "close" });
  response.end(await answer.text());
}

function hasMalformedEscape(url: string): boolean {
  try {
    decodeURIComponent(url.split("?")[0]!);
    return false;
  } catch {
    return true;
  }
}

await app.prepare();
installSimulatedOutage();
const ALLOW = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";

const server = http.createServer((request, response) => {
  if (request.method === "TRACE") {
    response.setHeader("Allow", ALLOW);
    return void refuse(response, { code: "method_not_allowed", description: `${request.method} is not supported.` });
  }
  const target = readRequestTarget(request.url ?? "/");
  if (target.form === "asterisk" && request.method === "OPTIONS") {
    return void response.writeHead(204, { Allow: ALLOW, "Content-Length": "0" }).end();
  }
  if (target.form === "asterisk" || target.form === "invalid") {
    return void refuse(response, {
      code: "invalid_request",
      description: "The request target must be a path such as /api/me (or an absolute http URL).",
    });
  }
  if (target.form === "absolute") {
    request.url = target.path;
    request.headers.host = target.host;
  }
  if (hasMalformedEscape(request.url ?? "/")) {
    return void refuse(response, {
      code: "invalid_request",
      description: "The request path has a malformed percent-escape.",
    });
  }
  const socket = request.socket as http.IncomingMessage["socket"] & { encrypted?: boolean };
  applyForwarded(
    request.headers,
    resolveForwarded(request.headers, socket.remoteAddress, trustedProxies, socket.encrypted === true),
  );
  // The outage ends when the handler has settled and the response has
  // closed: a client that goes away early must not end it while the
  // handler is still running.
  withSimulatedOutage(request.headers[OUTAGE_HEADER], (end) => {
    const handled = handle(request, response);
    response.once("close", () => void handled.finally(end));
  });
});
if (dev) server.on("upgrade", app.getUpgradeHandler());
// HOST unset: every interface, as a deployment behind a proxy expects; the
// demo and dev commands set 127.0.0.1 (scripts/prepare.ts).
server.listen(port, host ?? undefined, () => {
  console.log(`✓ Listening on ${host ?? "every interface"}, port ${port}${dev ? " (development)" : ""}`);
  if (settings.demoControls && !isLoopbackHost(host)) console.warn(exposedDemoControlsWarning(host, port));
});

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    server.close();
    void app.close().finally(() => process.exit(0));
  });
}
