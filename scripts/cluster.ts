// npm run cluster: several app instances on one PostgreSQL behind a
// round-robin balancer, to try "no sticky sessions" by hand. Every request
// may land on a different instance; the X-Served-By header says which.
//
//   DATABASE_URL=postgresql://… npm run cluster -- --instances 3 --port 3000
//
// The balancer is a demo (no health checks, no TLS); the README shows nginx.
import http from "node:http";
import path from "node:path";
import { parseArgs } from "node:util";
import { DEMO_USER } from "@/lib/demo";
import { enableDemoControls, prepareApp } from "@/scripts/prepare";
import { buildIfNeeded, startInstance, type Instance } from "@/scripts/instances";

const { values: args } = parseArgs({
  options: { instances: { type: "string", default: "2" }, port: { type: "string", default: "3000" } },
});
const count = Number(args.instances);
const port = Number(args.port);
if (!Number.isInteger(count) || count < 1 || count > 16) throw new Error("--instances must be 1 to 16");
if (!process.env.DATABASE_URL?.startsWith("postgres")) {
  console.error(
    "npm run cluster needs a PostgreSQL database all instances share:\n" +
      "  DATABASE_URL=postgresql://user:password@host:5432/db npm run cluster\n" +
      "On this machine, `bash scripts/postgres-test-db.sh session_vs_jwt_cluster` starts PostgreSQL and prints such a URL.",
  );
  process.exit(2);
}

enableDemoControls();
await prepareApp();
buildIfNeeded();

// The balancer is the one proxy in front: each instance takes the client's
// address from the last X-Forwarded-For hop it appends.
const instances: Instance[] = [];
for (let i = 1; i <= count; i++) {
  const logFile = path.join("data", "cluster", `instance-${i}.log`);
  instances.push(await startInstance({ name: `instance-${i}`, port: port + i, env: { TRUSTED_PROXIES: "1" }, logFile }));
  console.log(`instance-${i} on http://127.0.0.1:${port + i} (log: ${logFile})`);
}

let next = 0;
const balancer = http.createServer((request, response) => {
  const target = instances[next++ % instances.length]!;
  const forwardedFor = [request.headers["x-forwarded-for"], request.socket.remoteAddress].filter(Boolean).join(", ");
  const upstream = http.request(
    { host: "127.0.0.1", port: target.port, method: request.method, path: request.url, headers: { ...request.headers, "x-forwarded-for": forwardedFor } },
    (answer) => {
      response.writeHead(answer.statusCode ?? 502, { ...answer.headers, "x-served-by": target.name });
      answer.pipe(response);
    },
  );
  upstream.on("error", () => {
    if (!response.headersSent) response.writeHead(502, { "content-type": "text/plain" });
    response.end(`${target.name} did not answer\n`);
  });
  request.pipe(upstream);
});
balancer.listen(port, () => {
  console.log(`\nBalancer on http://localhost:${port} → ${count} instances, round robin (demo user: ${DEMO_USER.email} / ${DEMO_USER.password})`);
  console.log("Ctrl-C stops everything.\n");
});

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, async () => {
    balancer.close();
    await Promise.all(instances.map((instance) => instance.stop()));
    process.exit(0);
  });
}
