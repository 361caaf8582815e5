// npm run cluster: several app instances on one PostgreSQL behind nginx
// with the production rules (deploy/nginx/session-vs-jwt.conf), to try "no
// sticky sessions" and an instance dying by hand. Every request may land on
// a different instance; the X-Served-By header says which.
//
//   DATABASE_URL=postgresql://… npm run cluster -- --instances 3 --port 3000
//
// nginx listens on the port, the instances on the next ones.
import path from "node:path";
import { parseArgs } from "node:util";
import { DEMO_USER } from "@/lib/showcase/demo";
import { configureLocalServer, prepareApp } from "@/scripts/prepare";
import { buildIfNeeded, startInstance, type Instance } from "@/scripts/instances";
import { nginxBinary, startBalancer } from "@/scripts/nginx";

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

nginxBinary();
// nginx listens on HOST (127.0.0.1 unless set), the instances on 127.0.0.1
// only: one that other machines could reach directly would let them bypass
// nginx and write their own X-Forwarded-For.
configureLocalServer();
await prepareApp();
buildIfNeeded();

// nginx is the one proxy in front: each instance takes the client's address
// from the last X-Forwarded-For entry, the one nginx appends. Every instance
// is the same issuer, named by the address in front.
// The instances listen on this machine only, whatever HOST nginx has.
const env = {
  TRUSTED_PROXIES: "1",
  HOST: "127.0.0.1",
  PUBLIC_URL: process.env.PUBLIC_URL ?? `http://localhost:${port}`,
};
const instances: Instance[] = [];
for (let i = 1; i <= count; i++) {
  const logFile = path.join("data", "cluster", `instance-${i}.log`);
  instances.push(await startInstance({ name: `instance-${i}`, port: port + i, env, logFile }));
  console.log(`instance-${i} on http://127.0.0.1:${port + i} (log: ${logFile})`);
}
const dir = path.join("data", "cluster", "nginx");
const balancer = await startBalancer({
  port,
  host: process.env.HOST,
  upstreamPorts: instances.map((instance) => instance.port),
  dir,
});
console.log(
  `\nnginx on http://localhost:${port} → ${count} instances (config and access log: ${dir}; demo user: ${DEMO_USER.email} / ${DEMO_USER.password})`,
);
console.log("Ctrl-C stops everything.\n");

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, async () => {
    await balancer.stop();
    await Promise.all(instances.map((instance) => instance.stop()));
    process.exit(0);
  });
}
