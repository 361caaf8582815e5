// A TCP relay between the app instances and PostgreSQL that the tests can
// open and shut: the database becomes unreachable to the app (a network
// partition, or a server that went away) without stopping the PostgreSQL
// cluster the rest of the suite shares, and without root.
//  - "refuse": open connections are reset and new ones are refused, as when
//    the server process is gone.
//  - "blackhole": nothing answers any more and nothing is closed, as when the
//    host or the network dies; only the app's own timeouts end the wait.
// And one cut aimed at a single moment (cutAfterNextCommit): the next
// connection to send a COMMIT has it delivered, and the connection is reset
// as PostgreSQL answers, so the transaction is durable but the app never
// learns it (a lost reply).
import net from "node:net";

export type GateState = "open" | "refuse" | "blackhole";

export class DbGate {
  private server: net.Server;
  private state: GateState = "open";
  private readonly pairs = new Set<{ client: net.Socket; upstream: net.Socket | null }>();
  private commitCut: (() => void) | null = null;
  readonly port: Promise<number>;

  constructor(
    private readonly upstreamHost: string,
    private readonly upstreamPort: number,
  ) {
    this.server = net.createServer((client) => this.accept(client));
    this.port = new Promise((resolve) =>
      this.server.listen(0, "127.0.0.1", () => resolve((this.server.address() as net.AddressInfo).port)),
    );
  }

  private accept(client: net.Socket): void {
    client.on("error", () => {});
    if (this.state === "refuse") {
      client.resetAndDestroy();
      return;
    }
    const pair = { client, upstream: null as net.Socket | null };
    this.pairs.add(pair);
    client.on("close", () => {
      pair.upstream?.destroy();
      this.pairs.delete(pair);
    });
    if (this.state === "blackhole") return;
    const upstream = net.connect(this.upstreamPort, this.upstreamHost);
    pair.upstream = upstream;
    upstream.on("error", () => client.destroy());
    upstream.on("close", () => client.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
    // After pipe's own listener, so the COMMIT has been written upstream.
    client.on("data", (chunk: Buffer) => {
      const cut = this.commitCut;
      if (!cut || !chunk.includes("COMMIT")) return;
      this.commitCut = null;
      upstream.unpipe(client);
      upstream.once("data", () => {
        client.resetAndDestroy();
        upstream.destroy();
        cut();
      });
      // unpipe() of the last destination stops the flow; a listener alone does not restart it.
      upstream.resume();
    });
  }

  // Resolves once a COMMIT went through and its answer was thrown away.
  cutAfterNextCommit(): Promise<void> {
    return new Promise((resolve) => {
      this.commitCut = resolve;
    });
  }

  // Rewrites the host and port of a postgresql:// URL to pass through here.
  async url(databaseUrl: string): Promise<string> {
    const url = new URL(databaseUrl);
    url.hostname = "127.0.0.1";
    url.port = String(await this.port);
    return url.toString();
  }

  get connections(): number {
    return this.pairs.size;
  }

  shut(mode: "refuse" | "blackhole"): void {
    this.state = mode;
    for (const pair of this.pairs) {
      if (mode === "refuse") {
        pair.client.resetAndDestroy();
        pair.upstream?.destroy();
      } else {
        pair.client.unpipe();
        pair.upstream?.unpipe();
        pair.upstream?.pause();
        pair.client.pause();
      }
    }
  }

  // Held (blackholed) connections are dropped; the app reconnects afresh.
  open(): void {
    if (this.state === "blackhole") for (const pair of this.pairs) pair.client.resetAndDestroy();
    this.state = "open";
  }

  close(): Promise<void> {
    for (const pair of this.pairs) {
      pair.client.destroy();
      pair.upstream?.destroy();
    }
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
