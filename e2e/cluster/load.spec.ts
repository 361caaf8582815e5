// Under load: many clients at once against two instances for ~30 s,
// each request sent to either instance at random, mixing sign-ins, session
// and JWT checks, refreshes and revocations. Every answer is checked against
// what the client knows it should be: zero 5xx, and zero wrong answers (a
// revoked credential accepted, a valid one refused). Counts and latencies
// are printed and written to test-results-cluster/load.json.
import { randomUUID } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import type { Instance } from "@/scripts/instances";
import { Cluster } from "./cluster";
import { bearer, call, register, withCookie, type Account, type TokenPair } from "./http";

const CLIENTS = Number(process.env.LOAD_CLIENTS ?? 24);
const DURATION_MS = Number(process.env.LOAD_SECONDS ?? 30) * 1000;

type Operation =
  | "session sign-in"
  | "session check"
  | "session revoke"
  | "revoked session check"
  | "token sign-in"
  | "token check"
  | "refresh"
  | "refresh token revoke"
  | "revoked refresh";

type Tally = { count: number; serverErrors: number; wrong: number; latencies: number[] };
const tallies = new Map<Operation, Tally>();
const problems: string[] = [];

let cluster: Cluster;
test.beforeAll(async () => {
  // The default DATABASE_TIMEOUT (5 s), not the test bed's 2 s (chosen to
  // make the outage tests quick): on a saturated 2-core CI machine a lock
  // wait on the shared per-address throttle row came within 2 s (one 503 in
  // 2,149 requests once). A timeout is an honest 503, but this test is about
  // the app at its settings.
  cluster = await Cluster.start("load", { slot: 3, env: { DATABASE_TIMEOUT: "5s" } });
});
test.afterAll(async () => {
  await cluster?.close();
});

function pick<T>(items: T[]): T {
  return items[Math.floor(Math.random() * items.length)]!;
}

// Sends one request to a random instance and judges the answer.
async function act(
  operation: Operation,
  path: string,
  init: Parameters<typeof call>[2],
  expected: number,
  check?: (json: Record<string, unknown> | null) => boolean,
) {
  const instance: Instance = pick(cluster.instances);
  const started = performance.now();
  const answer = await call(instance, path, init);
  const tally = tallies.get(operation) ?? { count: 0, serverErrors: 0, wrong: 0, latencies: [] };
  tallies.set(operation, tally);
  tally.count++;
  tally.latencies.push(performance.now() - started);
  if (answer.status >= 500) tally.serverErrors++;
  if (answer.status !== expected || (check && !check(answer.json))) {
    tally.wrong++;
    if (problems.length < 20)
      problems.push(
        `${operation} on ${instance.name}: expected ${expected}, got ${answer.status} ${answer.text.slice(0, 200)}`,
      );
  }
  return answer;
}

type Session = { cookie: string; id: string };

// One client: its own account, a few sessions and token pairs, and a
// random next step each time round.
async function client(account: Account, until: number): Promise<void> {
  const sessions: Session[] = [];
  const revokedSessions: Session[] = [];
  let pair: TokenPair | null = null;
  const revokedRefreshTokens: string[] = [];
  const mine = (json: Record<string, unknown> | null) =>
    (json?.user as { email?: string } | undefined)?.email === account.email;

  while (Date.now() < until) {
    const roll = Math.random();
    if (sessions.length === 0 || (roll < 0.08 && sessions.length < 3)) {
      const answer = await act("session sign-in", "/api/session", { body: account }, 200, mine);
      const cookie = answer.headers
        .getSetCookie()
        .find((line) => line.startsWith("svj_session="))
        ?.split(";")[0];
      if (cookie) sessions.push({ cookie, id: (answer.json!.session as { id: string }).id });
    } else if (!pair || roll < 0.14) {
      const answer = await act(
        "token sign-in",
        "/api/auth/token",
        { body: account },
        200,
        (json) => typeof json?.access_token === "string",
      );
      if (answer.status === 200) pair = answer.json as unknown as TokenPair;
    } else if (roll < 0.42) {
      const session = pick(sessions);
      await act(
        "session check",
        "/api/session",
        { headers: withCookie(session.cookie) },
        200,
        (json) => mine(json) && (json!.session as { id: string }).id === session.id,
      );
    } else if (roll < 0.7) {
      await act(
        "token check",
        "/api/me",
        { headers: bearer(pair.access_token) },
        200,
        (json) => json?.email === account.email,
      );
    } else if (roll < 0.8) {
      const previous = pair;
      const answer = await act(
        "refresh",
        "/api/auth/refresh",
        { body: { refresh_token: previous.refresh_token } },
        200,
        (json) => typeof json?.refresh_token === "string",
      );
      if (answer.status === 200) pair = answer.json as unknown as TokenPair;
    } else if (roll < 0.85 && sessions.length > 1) {
      const victim = sessions.splice(Math.floor(Math.random() * sessions.length), 1)[0]!;
      await act(
        "session revoke",
        `/api/sessions/${victim.id}`,
        { method: "DELETE", headers: withCookie(sessions[0]!.cookie) },
        200,
      );
      revokedSessions.push(victim);
    } else if (roll < 0.9 && revokedSessions.length > 0) {
      await act("revoked session check", "/api/session", { headers: withCookie(pick(revokedSessions).cookie) }, 401);
    } else if (roll < 0.94) {
      await act("refresh token revoke", "/api/auth/revoke", { body: { token: pair.refresh_token } }, 200);
      revokedRefreshTokens.push(pair.refresh_token);
      pair = null;
    } else if (revokedRefreshTokens.length > 0) {
      await act("revoked refresh", "/api/auth/refresh", { body: { refresh_token: pick(revokedRefreshTokens) } }, 401);
    }
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

test("mixed load on two instances: no 5xx, no wrong answer", async () => {
  test.setTimeout(DURATION_MS + 120_000);
  const accounts = Array.from({ length: CLIENTS }, () => ({
    email: `load-${randomUUID()}@example.com`,
    password: "a load test password",
  }));
  for (const [i, account] of accounts.entries())
    await register(cluster.instances[i % cluster.instances.length]!, account);

  const started = Date.now();
  await Promise.all(accounts.map((account) => client(account, started + DURATION_MS)));
  const seconds = (Date.now() - started) / 1000;

  const rows = [...tallies].map(([operation, tally]) => {
    const sorted = tally.latencies.sort((x, y) => x - y);
    return {
      operation,
      count: tally.count,
      server_errors: tally.serverErrors,
      wrong: tally.wrong,
      p50_ms: +percentile(sorted, 50).toFixed(1),
      p99_ms: +percentile(sorted, 99).toFixed(1),
    };
  });
  const all = [...tallies.values()].flatMap((tally) => tally.latencies).sort((x, y) => x - y);
  const total = {
    clients: CLIENTS,
    instances: cluster.instances.length,
    seconds: +seconds.toFixed(1),
    requests: all.length,
    requests_per_sec: +(all.length / seconds).toFixed(1),
    server_errors: rows.reduce((sum, row) => sum + row.server_errors, 0),
    wrong: rows.reduce((sum, row) => sum + row.wrong, 0),
    p50_ms: +percentile(all, 50).toFixed(1),
    p99_ms: +percentile(all, 99).toFixed(1),
  };
  mkdirSync("test-results-cluster", { recursive: true });
  writeFileSync("test-results-cluster/load.json", `${JSON.stringify({ total, operations: rows }, null, 2)}\n`);
  console.log(
    `\nLoad: ${total.requests} requests from ${CLIENTS} clients to ${total.instances} instances in ${total.seconds} s (${total.requests_per_sec}/s), p50 ${total.p50_ms} ms, p99 ${total.p99_ms} ms, ${total.server_errors} 5xx, ${total.wrong} wrong`,
  );
  console.table(rows);

  expect(problems, "wrong answers").toEqual([]);
  expect(total.server_errors).toBe(0);
  expect(total.wrong).toBe(0);
  // Every kind of step ran, so the zeros above mean something.
  for (const operation of [
    "session sign-in",
    "session check",
    "session revoke",
    "revoked session check",
    "token sign-in",
    "token check",
    "refresh",
    "refresh token revoke",
    "revoked refresh",
  ] as Operation[]) {
    expect(tallies.get(operation)?.count ?? 0, operation).toBeGreaterThan(0);
  }
});
