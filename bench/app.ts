// The bench's app and what it does with it over HTTP, for `npm run bench`
// (bench/run.ts) and `npm run bench:profile` (bench/profile.ts): the
// production server and resource-server/ on their own ports, users signed in
// both ways as any client would, and the routes measured.
import path from "node:path";
import { SESSION_COOKIE } from "@/lib/cookie-names";
import { createScratchDatabase } from "@/scripts/db";
import { startInstance, type Instance } from "@/scripts/instances";
import { startResourceServer } from "@/scripts/resource-server";

const INTROSPECTION = { id: "bench-resource-server", secret: "bench-introspection-secret-0123456789abcd" };

export type Credentials = {
  bearer: Record<string, string>;
  cookie: Record<string, string>;
  // Per strategy of the lab (/api/lab): the headers that present its credential.
  lab: Record<string, Record<string, string>>;
};

// The strategies lab's designs, each measured on its own check route
// (/api/lab/<name>/me). bench/run.ts fails if /api/lab lists others.
export const LAB_STRATEGIES = [
  "server-session",
  "sealed-cookie",
  "sealed-cookie-stamp",
  "cookie-cache",
  "bearer-jwt",
  "opaque-bearer",
  "bff",
];

// The headers that present what a lab sign-in handed out: its access
// token, or the cookies it set.
export async function labCredential(answer: Response): Promise<Record<string, string>> {
  const { access_token: token } = (await answer.json()) as { access_token?: string };
  const pairs = answer.headers.getSetCookie().map((line) => line.split(";")[0]!);
  return token ? { authorization: `Bearer ${token}` } : { cookie: pairs.join("; ") };
}

// A user signs in per connection, at most 16 (each sign-in costs a bcrypt).
export const usersFor = (connections: number) => Math.min(connections, 16);

// A new, empty database named `name`: beside DATABASE_URL's when that is
// PostgreSQL, else a SQLite file in `dir`.
export async function scratchDatabase(dir: string, name: string): Promise<string> {
  const postgres = process.env.DATABASE_URL?.startsWith("postgres") ? process.env.DATABASE_URL : undefined;
  return postgres ? createScratchDatabase(postgres, `bench_${name}`) : `file:${path.join(dir, `${name}.db`)}`;
}

// `origin`: another server than the app (the resource server). `open`: a
// reference with no credential. `page`: compared with the page baseline too.
export type RouteSpec = {
  name: string;
  path: string;
  origin?: string;
  open?: true;
  page?: true;
  headers: (c: Credentials) => Record<string, string>;
};

export function benchApp(port: number) {
  const base = `http://127.0.0.1:${port}`;
  // resource-server/ beside the bench server, as `npm run demo` runs it.
  const resourceServer = `http://127.0.0.1:${port + 1}`;

  async function post(route: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(`${base}${route}`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: base, ...headers },
      body: JSON.stringify(body),
    });
  }

  async function expectStatus(response: Response, status: number, what: string): Promise<Response> {
    if (response.status !== status)
      throw new Error(`${what}: expected ${status}, got ${response.status} ${await response.text()}`);
    return response;
  }

  // Registers and signs in one user each way, over HTTP like any client.
  async function signInUser(index: number): Promise<Credentials> {
    const account = { email: `bench-${index}@example.com`, password: `bench password ${index}` };
    await expectStatus(await post("/api/auth/register", account), 201, "register");
    const token = await expectStatus(await post("/api/auth/token", account), 200, "token sign-in");
    const { access_token } = (await token.json()) as { access_token: string };
    const session = await expectStatus(await post("/api/session", account), 200, "session sign-in");
    const cookie = session.headers
      .getSetCookie()
      .find((line) => line.startsWith(`${SESSION_COOKIE}=`))!
      .split(";")[0]!;
    const lab: Credentials["lab"] = {};
    for (const strategy of LAB_STRATEGIES) {
      const answer = await expectStatus(
        await post(`/api/lab/${strategy}/sign-in`, account),
        200,
        `${strategy} sign-in`,
      );
      lab[strategy] = await labCredential(answer);
    }
    return { bearer: { authorization: `Bearer ${access_token}` }, cookie: { cookie }, lab };
  }

  // One after another: the server gives each network a fair share of its
  // password checks (lib/auth/fair-queue.ts), and the bench is one address.
  async function signInUsers(count: number): Promise<Credentials[]> {
    const credentials: Credentials[] = [];
    for (let i = 0; i < count; i++) credentials.push(await signInUser(i));
    return credentials;
  }

  const none = () => ({});
  const ROUTES: RouteSpec[] = [
    // The references: a handler with nothing of this app's (bare), the same
    // answer through route() as every protected route (baseline), the same
    // again with a session cookie sent and not read (baseline-cookie: what
    // Next.js itself spends on a request that carries a cookie, which every
    // cookie route pays before its check), and the account page rendered from
    // a sample with no credential (page-baseline).
    { name: "bare", path: "/api/health/bare", open: true, headers: none },
    { name: "baseline", path: "/api/health", open: true, headers: none },
    { name: "baseline-cookie", path: "/api/health", open: true, headers: (c) => c.cookie },
    { name: "page-baseline", path: "/performance/page-baseline", open: true, page: true, headers: none },
    { name: "jwt", path: "/api/me", headers: (c) => c.bearer },
    { name: "jwt-denylist", path: "/api/me", headers: (c) => c.bearer },
    { name: "session-json", path: "/api/session", headers: (c) => c.cookie },
    { name: "session-page", path: "/account", page: true, headers: (c) => c.cookie },
    // The same access token at another service: its own check (keys from the
    // JWKS, no database), and with a call back to the app's introspection.
    { name: "resource-server", path: "/whoami", origin: resourceServer, headers: (c) => c.bearer },
    {
      name: "resource-server-introspect",
      path: "/whoami?introspect=1",
      origin: resourceServer,
      headers: (c) => c.bearer,
    },
    // The strategies lab's check routes, one per design.
    ...LAB_STRATEGIES.map((strategy) => ({
      name: `lab-${strategy}`,
      path: `/api/lab/${strategy}/me`,
      headers: (c: Credentials) => c.lab[strategy]!,
    })),
  ];

  async function setDenylist(credentials: Credentials, enabled: boolean): Promise<void> {
    const response = await fetch(`${base}/api/auth/denylist`, {
      method: "PUT",
      headers: { "content-type": "application/json", ...credentials.bearer },
      body: JSON.stringify({ enabled }),
    });
    await expectStatus(response, 200, "denylist switch");
  }

  // The app on a database of its own, and the resource server beside it.
  // `env`: more for the app (bench/profile.ts: Node's CPU profiler).
  async function startServers(
    databaseUrl: string,
    bcryptCost: number,
    env: Record<string, string> = {},
  ): Promise<{ server: Instance; service: Instance }> {
    const server = await startInstance({
      name: "bench server",
      port,
      command: ["node_modules/.bin/tsx", "scripts/serve-test.ts"],
      env: {
        DATABASE_URL: databaseUrl,
        AUTH_SECRET: "bench-auth-secret-0123456789abcdefghijklmn",
        SESSION_PASSWORDS: "1:bench-cookie-password-0123456789abcdefg",
        BCRYPT_COST: String(bcryptCost),
        // On this machine only, as `npm run demo` listens.
        HOST: "127.0.0.1",
        DEMO_CONTROLS: "on",
        // GET /api/store-queries: the queries each route's load sent.
        STORE_QUERY_COUNTS: "on",
        // The bench registers its users, and the flood below, from one address.
        THROTTLE_REGISTER_FREE: "10000",
        THROTTLE_REGISTER_NETWORK_FREE: "10000",
        PUBLIC_URL: base,
        // The lab's backend-for-frontend calls the resource server below,
        // which the bench starts itself (its CPU is measured apart).
        RESOURCE_SERVER_URL: resourceServer,
        SERVE_TEST_RESOURCE_SERVER: "own",
        INTROSPECTION_CLIENTS: `${INTROSPECTION.id}:${INTROSPECTION.secret}`,
        // Each user signs in once and its access token is used for the whole
        // run, so it must outlive the run: with the default 5 minutes, a run
        // that took 326 s on a busy machine sent expired tokens in its last
        // round. A day is longer than any run; what a check costs does not
        // depend on the token's lifetime.
        ACCESS_TOKEN_TTL: "24h",
        // The same for the lab's cookie cache: its copy is signed in once
        // and must stay fresh, so its route measures the check it is
        // chosen for (no store read). A stale copy is the server-session
        // check plus a seal, measured by lab-server-session.
        LAB_COOKIE_CACHE_TTL: "24h",
        ...env,
      },
    });
    const service = await startResourceServer({ issuer: base, port: port + 1, client: INTROSPECTION });
    return { server, service };
  }

  // Reads and writes the app has sent to its store so far, as its database seam counted them.
  async function storeQueries(): Promise<number> {
    const answer = await expectStatus(await fetch(`${base}/api/store-queries`), 200, "GET /api/store-queries");
    const { reads, writes } = (await answer.json()) as { reads: number; writes: number };
    return reads + writes;
  }

  return { base, resourceServer, post, expectStatus, signInUsers, ROUTES, setDenylist, startServers, storeQueries };
}
