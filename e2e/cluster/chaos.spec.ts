// Chaos: clients keep refreshing their tokens and using their sessions
// through nginx while one instance is killed (kill -9), and then while a
// database connection is cut just after a refresh's COMMIT. A client here
// does what a real one does: a 5xx or a dropped connection is retried with
// the credentials it has; a 401 would mean it was signed out. Nobody may be
// signed out, nothing may be lost, and the failures stop within seconds.
// Counts are printed and written to test-results-cluster/chaos.json.
import { randomUUID } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import type { Instance } from "@/scripts/instances";
import { Cluster } from "./cluster";
import { bearer, call, register, signInSession, signInToken, withCookie, type TokenPair } from "./http";

test.describe.configure({ mode: "serial" });

const CLIENTS = 12;
const PAUSE_MS = 150;

type Operation = "refresh" | "token check" | "session check";
type Answer = { at: number; client: number; operation: Operation; status: number; servedBy: string };

type Client = {
  index: number;
  cookie: string;
  pair: TokenPair;
  signedOut: string | null;
  failedRefreshes: number;
  // Runs of failed refreshes, and how many of them ended in a refresh that worked.
  retryRuns: number;
  retriesThatWorked: number;
  retrying: boolean;
};

let cluster: Cluster;
const clients: Client[] = [];
const report: Record<string, unknown> = {};

test.beforeAll(async () => {
  // The default grace window (the test bed's is 1 s, for its reuse tests)
  // and the default database timeout (as the load test, for a busy machine).
  cluster = await Cluster.start("chaos", {
    slot: 5,
    env: { REFRESH_REUSE_GRACE: "30s", DATABASE_TIMEOUT: "5s" },
  });
  for (let index = 0; index < CLIENTS; index++) {
    const account = { email: `chaos-${index}-${randomUUID()}@example.com`, password: "a chaos password" };
    await register(cluster.balancer, account);
    const { cookie } = await signInSession(cluster.balancer, account);
    const pair = await signInToken(cluster.balancer, account);
    clients.push({
      index,
      cookie,
      pair,
      signedOut: null,
      failedRefreshes: 0,
      retryRuns: 0,
      retriesThatWorked: 0,
      retrying: false,
    });
  }
});
test.afterAll(async () => {
  mkdirSync("test-results-cluster", { recursive: true });
  writeFileSync("test-results-cluster/chaos.json", JSON.stringify(report, null, 2));
  await cluster?.close();
});

// Status 0: the connection itself failed.
async function send(
  client: Client,
  operation: Operation,
  path: string,
  init: Parameters<typeof call>[2],
  answers: Answer[],
  startedAt: number,
) {
  let status = 0;
  let json: Record<string, unknown> | null = null;
  let servedBy = "";
  try {
    const answer = await call(cluster.balancer, path, init);
    ({ status, json } = answer);
    servedBy = answer.headers.get("x-served-by") ?? "";
  } catch {
    status = 0;
  }
  answers.push({ at: Date.now() - startedAt, client: client.index, operation, status, servedBy });
  return { status, json };
}

// One client's loop: refresh, use the access token, use the session.
async function drive(client: Client, until: number, answers: Answer[], startedAt: number): Promise<void> {
  while (Date.now() < until && !client.signedOut) {
    const presented = client.pair.refresh_token;
    const refresh = await send(
      client,
      "refresh",
      "/api/auth/refresh",
      { body: { refresh_token: presented } },
      answers,
      startedAt,
    );
    if (refresh.status === 200) {
      client.pair = refresh.json as unknown as TokenPair;
      if (client.retrying) client.retriesThatWorked++;
      client.retrying = false;
    } else if (refresh.status === 0 || refresh.status >= 500) {
      client.failedRefreshes++;
      if (!client.retrying) client.retryRuns++;
      client.retrying = true;
    } else {
      client.signedOut = `refresh answered ${refresh.status}: ${JSON.stringify(refresh.json)}`;
      return;
    }
    const me = await send(
      client,
      "token check",
      "/api/me",
      { headers: bearer(client.pair.access_token) },
      answers,
      startedAt,
    );
    const session = await send(
      client,
      "session check",
      "/api/session",
      { headers: withCookie(client.cookie) },
      answers,
      startedAt,
    );
    for (const [what, status] of [
      ["token check", me.status],
      ["session check", session.status],
    ] as const) {
      if (status !== 0 && status < 500 && status !== 200) client.signedOut = `${what} answered ${status}`;
    }
    // A client's own pace between its rounds (what the load is made of, not a wait for anything).
    await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
  }
}

const failed = (answer: Answer) => answer.status === 0 || answer.status >= 500;

function tally(answers: Answer[]) {
  const byOperation: Record<string, { requests: number; failed: number }> = {};
  for (const answer of answers) {
    const row = (byOperation[answer.operation] ??= { requests: 0, failed: 0 });
    row.requests++;
    if (failed(answer)) row.failed++;
  }
  return { requests: answers.length, failed: answers.filter(failed).length, byOperation };
}

// A client never races itself, so every refresh answered with a successor
// issued before (audited as replayed) is one whose first reply was lost:
// the rotation committed and the client retried with the spent token.
async function replayedRefreshes(): Promise<number> {
  const { db } = await import("@/lib/db");
  return db().authEvent.count({ where: { type: "token.refreshed", detail: { contains: '"replayed":true' } } });
}

function retryCounts() {
  const sum = (pick: (client: Client) => number) => clients.reduce((total, client) => total + pick(client), 0);
  return {
    failedRefreshes: sum((client) => client.failedRefreshes),
    retryRuns: sum((client) => client.retryRuns),
    retriesThatWorked: sum((client) => client.retriesThatWorked),
  };
}

function resetRetryCounts(): void {
  for (const client of clients) {
    Object.assign(client, { failedRefreshes: 0, retryRuns: 0, retriesThatWorked: 0, retrying: false });
  }
}

// Every client still holds a working session and a working refresh family.
async function expectEveryoneSignedIn(): Promise<void> {
  for (const client of clients) expect(client.signedOut, `client ${client.index}`).toBeNull();
  const { db } = await import("@/lib/db");
  expect(await db().refreshFamily.count({ where: { revokedAt: { not: null } } })).toBe(0);
  expect(await db().session.count()).toBe(CLIENTS);
  for (const client of clients) {
    const refresh = await call(cluster.balancer, "/api/auth/refresh", {
      body: { refresh_token: client.pair.refresh_token },
    });
    expect(refresh.status, `client ${client.index} refreshes`).toBe(200);
    client.pair = refresh.json as unknown as TokenPair;
    const session = await call(cluster.balancer, "/api/session", { headers: withCookie(client.cookie) });
    expect(session.status, `client ${client.index}'s session`).toBe(200);
  }
}

test("an instance killed mid-run: nobody is signed out, and failures stop within seconds", async () => {
  test.setTimeout(120_000);
  const RUN_MS = 15_000;
  const KILL_AT_MS = 5_000;
  const [, victim] = cluster.instances as [Instance, Instance];
  const answers: Answer[] = [];
  const startedAt = Date.now();
  const killed = new Promise<number>((resolve) =>
    setTimeout(() => {
      process.kill(-victim.process.pid!, "SIGKILL");
      resolve(Date.now() - startedAt);
    }, KILL_AT_MS),
  );
  await Promise.all(clients.map((client) => drive(client, startedAt + RUN_MS, answers, startedAt)));
  const killedAt = await killed;

  // The instance that died was serving its share before it died (nginx
  // takes turns: about half; how many in all depends on the machine).
  const victimAddress = `127.0.0.1:${victim.port}`;
  const beforeKill = answers.filter((a) => a.at < killedAt);
  expect(beforeKill.filter((a) => a.servedBy === victimAddress).length).toBeGreaterThan(0.25 * beforeKill.length);

  const failures = answers.filter(failed);
  const lastFailureAfterKill = failures.length ? Math.max(...failures.map((a) => a.at)) - killedAt : 0;
  const counts = {
    clients: CLIENTS,
    runMs: RUN_MS,
    killedAtMs: killedAt,
    ...tally(answers),
    failedBeforeKill: failures.filter((a) => a.at < killedAt).length,
    lastFailureMsAfterKill: lastFailureAfterKill,
    ...retryCounts(),
    lostReplies: await replayedRefreshes(),
    signedOut: clients.filter((client) => client.signedOut).length,
  };
  report.kill = counts;
  console.log(`instance killed: ${JSON.stringify(counts)}`);

  await expectEveryoneSignedIn();
  expect(counts.failedBeforeKill).toBe(0);
  expect(counts.failed).toBeLessThanOrEqual(0.05 * counts.requests);
  expect(lastFailureAfterKill).toBeLessThan(5000);
  // Each run of failed refreshes ended in one that worked, within the run
  // or in expectEveryoneSignedIn's refresh.
  const stillRetrying = clients.filter((client) => client.retrying).length;
  expect(counts.retriesThatWorked + stillRetrying).toBe(counts.retryRuns);
});

test("a database connection cut just after a refresh's COMMIT: the lost reply is answered on the retry", async () => {
  test.setTimeout(120_000);
  const RUN_MS = 8_000;
  const answers: Answer[] = [];
  const startedAt = Date.now();
  resetRetryCounts();
  const replayedBefore = await replayedRefreshes();
  const cut = new Promise<number>((resolve) =>
    setTimeout(() => void cluster.gate.cutAfterNextCommit().then(() => resolve(Date.now() - startedAt)), 1000),
  );
  await Promise.all(clients.map((client) => drive(client, startedAt + RUN_MS, answers, startedAt)));
  const cutAt = await Promise.race([cut, new Promise<null>((resolve) => setTimeout(() => resolve(null), 1000))]);
  expect(cutAt, "a COMMIT went through the gate and its answer was dropped").not.toBeNull();

  const counts = {
    clients: CLIENTS,
    runMs: RUN_MS,
    cutAtMs: cutAt,
    ...tally(answers),
    ...retryCounts(),
    lostReplies: (await replayedRefreshes()) - replayedBefore,
    signedOut: clients.filter((client) => client.signedOut).length,
  };
  report.cut = counts;
  console.log(`database connection cut after COMMIT: ${JSON.stringify(counts)}`);

  // The rotation committed, its answer never arrived, and the client's
  // retry with the spent token was answered with the successor.
  expect(counts.lostReplies).toBeGreaterThanOrEqual(1);
  expect(counts.retriesThatWorked).toBe(counts.retryRuns);
  await expectEveryoneSignedIn();
  expect(counts.failed).toBeLessThanOrEqual(0.05 * counts.requests);
});
