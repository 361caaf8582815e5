// Credentials that grow with their claims (the strategies lab's
// claims_bytes, docs/strategies.md "Size") through a real nginx with the
// production rules (deploy/nginx/session-vs-jwt.conf), in front of two
// instances. A cluster of its own: what it sends leaves nginx's kept-alive
// connections to the instances busy, and proxy.spec.ts kills one of those.
import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { requestFrom } from "../from-address";
import { Cluster } from "./cluster";
import { register, type Account } from "./http";

let cluster: Cluster;
const account = (): Account => ({ email: `size-${randomUUID()}@example.com`, password: "a test password" });

test.beforeAll(async () => {
  cluster = await Cluster.start("size", { slot: 6 });
});
test.afterAll(async () => {
  await cluster?.close();
});

// The largest cookie this app sets (a browser keeps 4096 bytes of name and
// value, lib/cookie-names.ts), through nginx. nginx reads an instance's
// answer headers into proxy_buffer_size, by default one memory page: with
// it, such a sign-in was answered 502 ("upstream sent too big header"),
// and the instance counted as failed, so with max_fails=1 every instance
// was out of rotation and everyone got 502 ("no live upstreams") for
// fail_timeout. A request header line is read into one of nginx's 8 KiB
// large_client_header_buffers: a longer one is 400 from nginx itself.
test("the largest cookie the app sets gets through nginx, and an oversized credential harms nobody else", async () => {
  const user = account();
  await register(cluster.balancer, user);
  const signIn = (base: string, claimsBytes: number, from = "127.0.0.7") =>
    requestFrom(from, `${base}/api/lab/sealed-cookie/sign-in`, { body: { ...user, claims_bytes: claimsBytes } });
  // The most claims whose cookie this app still sets, asked of an instance itself.
  let [fits, tooMany] = [0, 4096];
  while (tooMany - fits > 16) {
    const middle = Math.floor((fits + tooMany) / 2);
    if ((await signIn(cluster.instances[0]!.url, middle)).status === 200) fits = middle;
    else tooMany = middle;
  }
  const largest = await signIn(cluster.balancer.url, fits);
  expect(largest.status).toBe(200);
  const cookie = largest.headers["set-cookie"]![0]!.split(";")[0]!;
  expect(cookie.length - 1).toBeGreaterThan(4096 - 32);
  expect(cookie.length - 1).toBeLessThanOrEqual(4096);
  const headerBytes = Object.entries(largest.headers).reduce(
    (sum, [name, value]) => sum + name.length + 4 + String(value).length,
    0,
  );
  expect(headerBytes).toBeGreaterThan(4096);
  const me = await requestFrom("127.0.0.7", `${cluster.balancer.url}/api/lab/sealed-cookie/me`, {
    headers: { cookie },
  });
  expect(me.status).toBe(200);
  // One claim more: not set, by the app, as a 400 of its own.
  const over = await signIn(cluster.balancer.url, tooMany);
  expect(over.status).toBe(400);
  expect(over.json).toMatchObject({ error: "invalid_request" });

  // An access token sent in a header line over 8 KiB: nginx's own 400.
  const token = await requestFrom("127.0.0.7", `${cluster.balancer.url}/api/lab/bearer-jwt/sign-in`, {
    body: { ...user, claims_bytes: 8192 },
  });
  expect(token.status).toBe(200);
  const sent = await requestFrom("127.0.0.7", `${cluster.balancer.url}/api/lab/bearer-jwt/me`, {
    headers: { authorization: `Bearer ${token.json!.access_token as string}` },
  });
  expect(sent.status).toBe(400);
  expect(sent.headers.server).toMatch(/^nginx/);

  // Every instance is still in rotation for someone else, at once.
  const servedBy = new Set<string>();
  for (let i = 0; i < 4; i++) {
    const other = await requestFrom("127.0.0.8", `${cluster.balancer.url}/api/health`);
    expect(other.status).toBe(200);
    servedBy.add(String(other.headers["x-served-by"]));
  }
  expect(servedBy.size).toBe(cluster.instances.length);
  console.log(
    `The largest cookie set: ${fits} bytes of claims, ${cookie.length - 1} bytes of name and value, ${headerBytes} bytes of answer headers, through nginx: 200`,
  );
});
