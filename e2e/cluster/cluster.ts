// The multi-instance test bed: a fresh PostgreSQL database beside
// TEST_DATABASE_URL, a DbGate in front of it, N production servers that
// reach the database only through the gate, and nginx in front of them with
// the production rules (scripts/nginx.ts). Tests talk to the balancer or to
// one instance over HTTP like any client, and read rows directly.
import path from "node:path";
import { createScratchDatabase, migrate, resetDatabase } from "@/scripts/db";
import { buildIfNeeded, startInstance, type Instance } from "@/scripts/instances";
import { startBalancer, type Balancer } from "@/scripts/nginx";
import { startResourceServer } from "@/scripts/resource-server";
import { DbGate } from "./db-gate";

export const CLUSTER_ENV = {
  AUTH_SECRET: "cluster-auth-secret-0123456789abcdefghijklm",
  SESSION_PASSWORDS: "1:cluster-cookie-password-0123456789abcdef",
  INTROSPECTION_CLIENTS: "cluster-resource-server:cluster-introspection-secret-0123456789ab",
  BCRYPT_COST: "4",
  // A stopped database answers at once; one that stopped answering is given up on after this.
  DATABASE_TIMEOUT: "2s",
  // A spent refresh token presented later than this is a stolen copy.
  REFRESH_REUSE_GRACE: "1s",
  // Every client here is 127.0.0.1.
  THROTTLE_IP_FREE_FAILURES: "10000",
  // Long enough that a throttled client is still throttled at its next
  // request on the other instance, however loaded the machine.
  THROTTLE_BASE_DELAY: "1m",
  // The key-rotation scenario waits the JWKS's max-age (+ 6 s).
  JWKS_MAX_AGE: "2s",
  // The denylist switch is flipped on one instance and followed on the other.
  DEMO_CONTROLS: "on",
  THROTTLE_REGISTER_FREE: "10000",
  THROTTLE_REGISTER_NETWORK_FREE: "10000",
  // The load test's 24 clients sign in at once on two cores.
  PASSWORD_QUEUE_LIMIT: "1000",
  // nginx is in front (its X-Forwarded-For entry is believed); requests
  // straight to an instance carry none, so there the peer is the client.
  TRUSTED_PROXIES: "1",
};

const BASE_PORT = Number(process.env.CLUSTER_PORT ?? 3110);

export function postgresUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url?.startsWith("postgres")) throw new Error("The multi-instance tests need TEST_DATABASE_URL=postgresql://…");
  return url;
}

export class Cluster {
  instances: Instance[] = [];
  balancer!: Balancer;

  private constructor(
    readonly name: string,
    readonly databaseUrl: string,
    readonly gate: DbGate,
    private readonly gatedUrl: string,
    private readonly env: Record<string, string>,
    private readonly size: number,
    private readonly firstPort: number,
  ) {}

  // `slot` keeps the ports of clusters in different spec files apart.
  static async start(
    name: string,
    options: { slot: number; instances?: number; env?: Record<string, string> },
  ): Promise<Cluster> {
    buildIfNeeded();
    const databaseUrl = await createScratchDatabase(postgresUrl(), `cluster_${name}`);
    await resetDatabase(databaseUrl);
    migrate(databaseUrl);
    // This process reads and writes the same rows (lib/db.ts) with the same
    // secrets; every instance is one issuer, named by nginx's address.
    const firstPort = BASE_PORT + options.slot * 10;
    const publicUrl = `http://127.0.0.1:${firstPort + 9}`;
    Object.assign(process.env, CLUSTER_ENV, { DATABASE_URL: databaseUrl, PUBLIC_URL: publicUrl });
    const database = new URL(databaseUrl);
    const gate = new DbGate(database.hostname, Number(database.port || 5432));
    const cluster = new Cluster(
      name,
      databaseUrl,
      gate,
      await gate.url(databaseUrl),
      { PUBLIC_URL: publicUrl, ...options.env },
      options.instances ?? 2,
      firstPort,
    );
    await cluster.startAll();
    cluster.balancer = await startBalancer({
      port: cluster.firstPort + 9,
      upstreamPorts: cluster.instances.map((instance) => instance.port),
      dir: path.join("test-results-cluster", `${name}-nginx`),
    });
    return cluster;
  }

  // resource-server/ in front of this cluster's issuer (the balancer's URL),
  // as `npm run demo` starts it: an empty environment, its own credentials.
  startResourceServer(): Promise<Instance> {
    const [id, secret] = CLUSTER_ENV.INTROSPECTION_CLIENTS.split(":") as [string, string];
    return startResourceServer(
      { issuer: this.balancer.url, port: this.firstPort + 8, client: { id, secret } },
      path.join("test-results-cluster", `${this.name}-resource-server.log`),
    );
  }

  async startAll(): Promise<void> {
    this.instances = await Promise.all(
      Array.from({ length: this.size }, (_, i) =>
        startInstance({
          name: String.fromCharCode(65 + i),
          port: this.firstPort + i,
          env: { ...CLUSTER_ENV, ...this.env, DATABASE_URL: this.gatedUrl },
          logFile: path.join("test-results-cluster", `${this.name}-${String.fromCharCode(65 + i)}.log`),
        }),
      ),
    );
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.instances.map((instance) => instance.stop()));
  }

  async close(): Promise<void> {
    await this.balancer?.stop();
    await this.stopAll();
    await this.gate.close();
    // The next spec file in this process uses another database.
    const { closeDatabase } = await import("@/lib/db");
    await closeDatabase();
  }
}
