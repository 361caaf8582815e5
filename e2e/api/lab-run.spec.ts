import { expect, makeAccount, test } from "../fixtures";
import { requestFrom } from "../from-address";
import { useOwnServer } from "../own-server";
import { origin } from "../test-env";

// "Run the lab" over real sockets (lib/showcase/lab-run.ts): a throwaway
// account signed in every way the lab offers, and each strategy measured
// from real requests. The test servers run with LAB_COOKIE_CACHE_TTL=3s and
// LAB_REVOCATION_WATCH=6s, denylist mode off.

type Cell = { step: number } & Record<string, unknown>;
type StrategyRun = Record<string, Cell | null> & { name: string; transport: string };
type SizeRung = { claimsBytes: number; credentialBytes: number | null; cookieBytes: number | null; status: number };

async function runLab(body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${origin}/api/lab/run`, {
    method: "POST",
    headers: { "content-type": "application/json", origin, ...headers },
    body: JSON.stringify(body),
  });
  const lines = (await response.text())
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line));
  return { status: response.status, contentType: response.headers.get("content-type"), lines };
}

test("a run measures every strategy, each value linked to the step that measured it", async ({ newAccount: user }) => {
  // What the page's script could read: the header strategies' tokens (it is
  // handed them), measured here by signing in as the page would.
  const tokens: Record<string, { copy: string | null }> = {};
  for (const name of ["bearer-jwt", "opaque-bearer"]) {
    const answer = await fetch(`${origin}/api/lab/${name}/sign-in`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: user.email, password: user.password }),
    });
    tokens[name] = { copy: (await answer.json()).access_token };
  }
  // And of the cookie strategies, nothing: their cookies are HttpOnly.
  for (const name of ["server-session", "sealed-cookie", "sealed-cookie-stamp", "cookie-cache", "bff"]) {
    tokens[name] = { copy: null };
  }
  const { status, contentType, lines } = await runLab({
    email: user.email,
    password: user.password,
    page_script: tokens,
  });
  expect(status).toBe(200);
  expect(contentType).toContain("application/x-ndjson");
  const run = lines.at(-1) as { steps: string[]; strategies: StrategyRun[]; database: string; denylist: boolean };
  const streamed = lines.slice(0, -1).map((line: { step: string }) => line.step);
  expect(run.steps).toEqual(streamed);
  expect(run.denylist).toBe(false);

  const byName = Object.fromEntries(run.strategies.map((strategy) => [strategy.name, strategy]));
  expect(Object.keys(byName)).toEqual([
    "server-session",
    "sealed-cookie",
    "sealed-cookie-stamp",
    "cookie-cache",
    "bearer-jwt",
    "opaque-bearer",
    "bff",
  ]);
  for (const strategy of run.strategies) {
    for (const [field, cell] of Object.entries(strategy)) {
      if (cell === null || typeof cell !== "object") continue;
      expect(run.steps[cell.step], `${strategy.name}.${field}`).toContain(strategy.name);
    }
    expect(strategy.signIn!.credentialBytes).toBeGreaterThan(40);
    expect(strategy.checkMs!.n).toBe(30);
    expect(strategy.checkMs!.p25 as number).toBeLessThanOrEqual(strategy.checkMs!.median as number);
    expect(strategy.checkMs!.median as number).toBeLessThanOrEqual(strategy.checkMs!.p75 as number);
  }

  const reads = (name: string) => byName[name]!.storeReads!.reads;
  expect([
    reads("server-session"),
    reads("sealed-cookie"),
    reads("sealed-cookie-stamp"),
    reads("cookie-cache"),
    reads("bearer-jwt"),
    reads("opaque-bearer"),
    reads("bff"),
  ]).toEqual([1, 0, 1, 0, 0, 1, 1]);
  expect(byName.bff!.storeReads!.serviceCalls).toBe(1);
  // Nothing stored for a sealed cookie; a row (and its audit event) for the others.
  const writes = run.strategies.map((strategy) => [strategy.name, strategy.signIn!.storeWrites]);
  for (const [name, count] of writes) {
    if (name === "sealed-cookie" || name === "sealed-cookie-stamp") expect(count, name as string).toBe(0);
    else expect(count, name as string).toBeGreaterThan(0);
  }

  // Cross-site: a cookie rides along and is refused; a header cannot ride.
  for (const strategy of run.strategies) {
    const crossSite = strategy.crossSite!;
    expect(crossSite.ridesAlong).toBe(strategy.transport === "cookie");
    expect(crossSite.status).toBe(strategy.transport === "cookie" ? 403 : 401);
    expect(crossSite.stillAccepted).toBe(true);
  }

  // The store down: what reads it fails closed, what does not is served.
  const down = (name: string) => byName[name]!.storeDown!.status;
  expect(down("server-session")).toBe(503);
  expect(down("sealed-cookie")).toBe(200);
  expect(down("sealed-cookie-stamp")).toBe(503);
  expect(down("bearer-jwt")).toBe(200);
  expect(down("opaque-bearer")).toBe(503);
  expect(down("bff")).toBe(503);

  // Another service accepts only the signed token, without asking this app.
  for (const strategy of run.strategies) {
    expect(strategy.otherService!.status, strategy.name).toBe(strategy.name === "bearer-jwt" ? 200 : 401);
  }

  // Page script: what it read, replayed from elsewhere, is accepted.
  for (const strategy of run.strategies) {
    const header = strategy.transport === "header";
    expect(strategy.pageScript, strategy.name).toMatchObject({
      readable: header,
      replayStatus: header ? 200 : null,
      pageAgreed: true,
    });
  }

  // Revocation, as each design allows.
  const revocation = (name: string) => byName[name]!.revocation!;
  for (const name of ["server-session", "sealed-cookie-stamp", "opaque-bearer", "bff"]) {
    expect(revocation(name), name).toMatchObject({ revoked: true, acceptedReplays: 0, stillValidUntil: null });
    expect(revocation(name).refusedAfterMs as number).toBeLessThan(1000);
  }
  expect(revocation("sealed-cookie")).toMatchObject({ revoked: false, refusedAfterMs: null });
  expect(Date.parse(revocation("sealed-cookie").stillValidUntil as string)).toBeGreaterThan(Date.now() + 3600_000);
  // The cache lifetime is 3 s: refused once the copy goes stale, within the 6 s watch.
  expect(revocation("cookie-cache").refusedAfterMs as number).toBeGreaterThan(0);
  expect(revocation("cookie-cache").refusedAfterMs as number).toBeLessThan(4000);
  expect(revocation("cookie-cache").acceptedReplays as number).toBeGreaterThan(0);
  // A 5-minute access token outlives a 6-second watch, and the run says so.
  expect(revocation("bearer-jwt")).toMatchObject({ revoked: true, refusedAfterMs: null });
  expect(revocation("bearer-jwt").watchedMs as number).toBeGreaterThanOrEqual(6000);

  // Size: the claims each credential carries, signed in again at growing sizes.
  const size = (name: string) => byName[name]!.size! as Cell & { rungs: SizeRung[] };
  for (const name of ["server-session", "cookie-cache", "opaque-bearer", "bff"]) {
    expect(size(name), name).toMatchObject({ carriesClaims: false, rungs: [] });
  }
  const statuses = (name: string) => size(name).rungs.map((rung) => [rung.claimsBytes, rung.status]);
  // A sealed cookie is not set once it is longer than a browser keeps (400).
  for (const name of ["sealed-cookie", "sealed-cookie-stamp"]) {
    expect(statuses(name), name).toEqual([
      [0, 200],
      [1024, 200],
      [2048, 200],
      [3072, 400],
      [4096, 400],
      [8192, 400],
      [12_288, 400],
      [16_384, 400],
    ]);
    for (const rung of size(name).rungs) {
      if (rung.status === 200) expect(rung.cookieBytes!).toBeLessThanOrEqual(4096);
      else expect(rung.credentialBytes).toBeNull();
    }
  }
  // A token: this app's check stops it at 4096 characters, Node at 16 KiB of headers.
  expect(statuses("bearer-jwt")).toEqual([
    [0, 200],
    [1024, 200],
    [2048, 200],
    [3072, 401],
    [4096, 401],
    [8192, 401],
    [12_288, 431],
    [16_384, 431],
  ]);
  for (const name of ["sealed-cookie", "bearer-jwt"]) {
    const grown = size(name).rungs.filter((rung) => rung.credentialBytes !== null);
    for (let i = 1; i < grown.length; i++) {
      expect(grown[i]!.credentialBytes! - grown[i - 1]!.credentialBytes!).toBeGreaterThanOrEqual(
        grown[i]!.claimsBytes - grown[i - 1]!.claimsBytes,
      );
    }
  }

  const last = await fetch(`${origin}/api/lab/run`);
  expect(last.status).toBe(200);
  expect(Date.parse((await last.json()).startedAt)).toBeGreaterThanOrEqual(
    Date.parse((run as never as { startedAt: string }).startedAt),
  );
});

test("a run is only for a throwaway account, from this site, with its password", async ({ newAccount: user }) => {
  const refused = await runLab({ email: "alice@example.com", password: "whatever" });
  expect(refused.status).toBe(403);
  expect(refused.lines[0].error).toBe("forbidden");
  const wrong = await runLab({ email: user.email, password: "not-the-password" });
  expect(wrong.status).toBe(401);
  const crossSite = await runLab(
    { email: user.email, password: user.password },
    { origin: "https://evil.example", "sec-fetch-site": "cross-site" },
  );
  expect(crossSite.status).toBe(403);
  expect(crossSite.lines[0].error).toBe("cross_site_request");
});

test("what the page reports of its script is checked against what the server handed out, and never stored", async ({
  newAccount: user,
}) => {
  const other = await makeAccount();
  // A page claiming its script read an HttpOnly cookie, or replaying a token of another account, or junk.
  const otherToken = await fetch(`${origin}/api/lab/bearer-jwt/sign-in`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: other.email, password: other.password }),
  }).then((answer) => answer.json());
  const { status, lines } = await runLab({
    email: user.email,
    password: user.password,
    page_script: {
      "server-session": { copy: "svj_lab_server_session=<script>alert(1)</script>" },
      "bearer-jwt": { copy: otherToken.access_token },
      "opaque-bearer": { copy: "junk" },
    },
  });
  expect(status).toBe(200);
  const run = lines.at(-1) as { steps: string[]; strategies: StrategyRun[] };
  const byName = Object.fromEntries(run.strategies.map((strategy) => [strategy.name, strategy]));
  expect(byName["server-session"]!.pageScript).toMatchObject({
    readable: false,
    replayStatus: null,
    pageAgreed: false,
  });
  // What script gets of a header strategy is the server's to say; its own copy replays.
  expect(byName["bearer-jwt"]!.pageScript).toMatchObject({ readable: true, replayStatus: 200, pageAgreed: false });
  expect(byName["opaque-bearer"]!.pageScript).toMatchObject({ readable: true, replayStatus: 200, pageAgreed: false });
  // Not reported at all: said so.
  expect(byName.bff!.pageScript).toMatchObject({ readable: false, pageAgreed: false });
  expect(JSON.stringify(run)).not.toContain("<script>");
  expect(JSON.stringify(run)).not.toContain(otherToken.access_token);
});

test(
  "at most two runs at once on a server, whoever starts them; a third is told to wait",
  { tag: "@serial" },
  async () => {
    const accounts = await Promise.all([makeAccount(), makeAccount(), makeAccount()]);
    const statuses = await Promise.all(
      accounts.map((account) => runLab({ email: account.email, password: account.password }).then((r) => r.status)),
    );
    expect(statuses.sort()).toEqual([200, 200, 429]);
  },
);

test("a run's sign-ins carry a one-time key of the server's own; a made-up one signs nobody in", async () => {
  const answer = await fetch(`${origin}/api/lab/server-session/sign-in`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-svj-lab-run": "made-up" },
    body: "{}",
  });
  expect(answer.status).toBe(401);
  expect(answer.headers.getSetCookie()).toEqual([]);
});

test.describe("a neighbour on the server's own network cannot stop other visitors' runs", { tag: "@once" }, () => {
  // Three failed sign-ins per network a minute: the loopback network the
  // server calls itself from (127.0.0.0/24) is used up by 127.0.0.2 below.
  const server = useOwnServer("lab-neighbour", 25, {
    THROTTLE_SIGNIN_NETWORK_FREE: "3",
    THROTTLE_SIGNIN_NETWORK_INTERVAL: "60s",
  });

  test("with 127.0.0.0/24's sign-ins used up, a visitor from 127.0.1.1 still runs the lab", async () => {
    for (let i = 0; i < 6; i++) {
      await requestFrom("127.0.0.2", `${server.url}/api/session`, {
        body: { email: `nobody-${i}@example.com`, password: "wrong password" },
      });
    }
    const flooded = await requestFrom("127.0.0.3", `${server.url}/api/session`, {
      body: { email: "nobody@example.com", password: "wrong password" },
    });
    expect(flooded.status).toBe(429);
    const made = await requestFrom("127.0.1.1", `${server.url}/api/sandbox`, { method: "POST" });
    expect(made.status).toBe(201);
    const { email, password } = made.json as { email: string; password: string };
    const run = await requestFrom("127.0.1.1", `${server.url}/api/lab/run`, { body: { email, password } });
    expect(run.status).toBe(200);
    const result = JSON.parse(run.text.trim().split("\n").at(-1)!) as { strategies?: { name: string }[] };
    // Every strategy but the bff, which has no resource server to call here.
    expect(result.strategies?.map((strategy) => strategy.name)).toEqual([
      "server-session",
      "sealed-cookie",
      "sealed-cookie-stamp",
      "cookie-cache",
      "bearer-jwt",
      "opaque-bearer",
    ]);
  });
});
