// Restart: stopping and starting every instance loses nothing.
// Sessions, refresh families and signing keys live in PostgreSQL; what the
// instances kept in memory (key set, caches) is rebuilt from it.
import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { Cluster } from "./cluster";
import { bearer, call, register, signInSession, signInToken, withCookie } from "./http";

let cluster: Cluster;
test.beforeAll(async () => {
  cluster = await Cluster.start("restart", { slot: 2 });
});
test.afterAll(async () => {
  await cluster?.close();
});

test("after both instances restart, the same cookies, access tokens and refresh tokens still work", async () => {
  const [a, b] = cluster.instances;
  const user = { email: `restart-${randomUUID()}@example.com`, password: "a test password" };
  await register(a!, user);
  const sessions = [await signInSession(a!, user), await signInSession(b!, user)];
  const pairs = [await signInToken(a!, user), await signInToken(b!, user)];
  const jwks = (await call(a!, "/.well-known/jwks.json")).json;

  await cluster.stopAll();
  for (const instance of [a!, b!]) await expect(fetch(`${instance.url}/api/health`)).rejects.toThrow();
  await cluster.startAll();

  for (const instance of cluster.instances) {
    for (const { cookie, sessionId } of sessions) {
      const answer = await call(instance, "/api/session", { headers: withCookie(cookie) });
      expect(answer.status).toBe(200);
      expect(answer.json).toMatchObject({ session: { id: sessionId } });
    }
    for (const { access_token } of pairs)
      expect((await call(instance, "/api/me", { headers: bearer(access_token) })).status).toBe(200);
    // Every key published before is published after (an instance that lost
    // the start-up race may have added a retired one that A had not loaded
    // yet when the JWKS above was read: a superset, never fewer).
    const after = (await call(instance, "/.well-known/jwks.json")).json as { keys: unknown[] };
    expect(after.keys).toEqual(expect.arrayContaining((jwks as { keys: unknown[] }).keys));
  }
  // Each family continues where it was: the next generation, on the other instance.
  for (const [i, pair] of pairs.entries()) {
    const refreshed = await call(cluster.instances[1 - i]!, "/api/auth/refresh", {
      body: { refresh_token: pair.refresh_token },
    });
    expect(refreshed.status).toBe(200);
  }
  const { db } = await import("@/lib/db");
  const families = await db().refreshFamily.findMany({
    where: { user: { email: user.email } },
    include: { tokens: true },
  });
  expect(families.map((family) => [family.revokedAt, family.tokens.length])).toEqual([
    [null, 2],
    [null, 2],
  ]);
});
