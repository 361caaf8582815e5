// The production proxy rules (deploy/nginx/session-vs-jwt.conf) in a real
// nginx in front of two instances started with TRUSTED_PROXIES=1, as the
// docs tell people to deploy (docs/several-instances.md). Clients are real other addresses
// (127.0.0.2, .3, …), each writing forwarding headers of its own.
import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { requestFrom, sessionCookieOf } from "../from-address";
import { Cluster } from "./cluster";
import { register, type Account } from "./http";
import type { Instance } from "@/scripts/instances";

let cluster: Cluster;
const account = (): Account => ({ email: `proxy-${randomUUID()}@example.com`, password: "a test password" });
const FORGED = {
  "x-forwarded-for": "203.0.113.66",
  "x-real-ip": "203.0.113.67",
  forwarded: "for=203.0.113.68;proto=https",
  "x-forwarded-proto": "https",
};

test.beforeAll(async () => {
  cluster = await Cluster.start("proxy", { slot: 4 });
});
test.afterAll(async () => {
  await cluster?.close();
});

test.describe.configure({ mode: "serial" });

test("the app sees the address nginx saw, never one the client wrote, and the scheme nginx served", async () => {
  const user = account();
  await register(cluster.balancer, user);
  const signIn = await requestFrom("127.0.0.2", `${cluster.balancer.url}/api/session`, { body: user, headers: FORGED });
  expect(signIn.status).toBe(200);
  expect((signIn.json!.session as { ip: string }).ip).toBe("127.0.0.2");
  // Plain http at nginx: the cookie without Secure, whatever the client claimed.
  const cookieLine = (signIn.headers["set-cookie"] ?? []).join("\n");
  expect(cookieLine).toMatch(/^svj_session=/);
  expect(cookieLine).not.toMatch(/Secure/i);

  const list = await requestFrom("127.0.0.3", `${cluster.balancer.url}/api/sessions`, {
    headers: { cookie: sessionCookieOf(signIn), ...FORGED },
  });
  expect(list.status).toBe(200);
  expect((list.json!.sessions as { ip: string }[]).map((session) => session.ip)).toEqual(["127.0.0.2"]);
});

test("a session made through nginx holds on every instance it is sent to (no sticky sessions)", async () => {
  const user = account();
  await register(cluster.balancer, user);
  const signIn = await requestFrom("127.0.0.2", `${cluster.balancer.url}/api/session`, { body: user });
  const cookie = sessionCookieOf(signIn);
  const servedBy = new Set<string>();
  for (let i = 0; i < 6; i++) {
    const check = await requestFrom("127.0.0.2", `${cluster.balancer.url}/api/session`, { headers: { cookie } });
    expect(check.status).toBe(200);
    servedBy.add(String(check.headers["x-served-by"]));
  }
  expect([...servedBy].sort()).toEqual(cluster.instances.map((instance) => `127.0.0.1:${instance.port}`).sort());
});

test("sign-in throttling tells clients behind nginx apart, and writing X-Forwarded-For does not escape it", async () => {
  const user = account();
  await register(cluster.balancer, user);
  const attempt = (from: string, password: string, headers: Record<string, string> = {}) =>
    requestFrom(from, `${cluster.balancer.url}/api/session`, { body: { email: user.email, password }, headers });
  const statuses: number[] = [];
  for (let i = 0; i < 10 && !statuses.includes(429); i++)
    statuses.push((await attempt("127.0.0.4", `wrong guess ${i}`)).status);
  expect(statuses.at(-1)).toBe(429);
  expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
  // The guesser, with the right password and someone else's address written in.
  expect((await attempt("127.0.0.4", user.password, { "x-forwarded-for": "127.0.0.5" })).status).toBe(429);
  // The account's owner, from a really different address.
  expect((await attempt("127.0.0.5", user.password)).status).toBe(200);
});

test("nginx refuses unknown methods and very large bodies; the app's own 16 KiB limit answers below that", async () => {
  const trace = await requestFrom("127.0.0.6", `${cluster.balancer.url}/api/health`, { method: "TRACE" });
  expect(trace.status).toBe(405);
  expect(trace.headers.server).toMatch(/^nginx/);
  const propfind = await requestFrom("127.0.0.6", `${cluster.balancer.url}/api/health`, { method: "PROPFIND" });
  expect(propfind.status).toBe(405);

  const huge = await requestFrom("127.0.0.6", `${cluster.balancer.url}/api/auth/token`, {
    body: { email: "a@example.com", password: "x".repeat(100 * 1024) },
  });
  expect(huge.status).toBe(413);
  expect(huge.headers.server).toMatch(/^nginx/);
  const large = await requestFrom("127.0.0.6", `${cluster.balancer.url}/api/auth/token`, {
    body: { email: "a@example.com", password: "x".repeat(20 * 1024) },
  });
  expect(large.status).toBe(413);
  expect(large.json).toMatchObject({ error: "payload_too_large" });
});

// Last in this file: it kills an instance. (An instance dying under load is
// the chaos test's subject; this is the proxy rule alone.)
test("an instance that is gone: nginx sends every request to the other one, sign-ins included", async () => {
  const user = account();
  await register(cluster.balancer, user);
  const signIn = await requestFrom("127.0.0.2", `${cluster.balancer.url}/api/session`, { body: user });
  const cookie = sessionCookieOf(signIn);
  const [alive, dead] = cluster.instances as [Instance, Instance];
  process.kill(-dead.process.pid!, "SIGKILL");
  await new Promise((resolve) => dead.process.once("exit", resolve));
  const statuses: number[] = [];
  const servedBy = new Set<string>();
  for (let i = 0; i < 6; i++) {
    for (const answer of [
      await requestFrom("127.0.0.2", `${cluster.balancer.url}/api/session`, { headers: { cookie } }),
      await requestFrom("127.0.0.2", `${cluster.balancer.url}/api/auth/token`, { body: user }),
    ]) {
      statuses.push(answer.status);
      servedBy.add(String(answer.headers["x-served-by"]));
    }
  }
  expect(statuses).toEqual(Array(12).fill(200));
  // The first request that was sent to the dead instance names both in X-Served-By.
  expect([...servedBy].every((value) => value.endsWith(`127.0.0.1:${alive.port}`))).toBe(true);
});
