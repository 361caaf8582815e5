// Two instances on one PostgreSQL behave as one app, with no
// sticky sessions: whatever one instance writes, the other honours at its
// next request.
import { createHash, randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT } from "jose";
import { Cluster } from "./cluster";
import { bearer, call, register, signInSession, signInToken, withCookie, type Account } from "./http";
import { authorizePath, pkcePair } from "../oauth";

let cluster: Cluster;
const account = (): Account => ({ email: `multi-${randomUUID()}@example.com`, password: "a test password" });

test.beforeAll(async () => {
  cluster = await Cluster.start("multi", { slot: 0 });
});
test.afterAll(async () => {
  await cluster?.close();
});

test.describe.configure({ mode: "serial" });

// Both started at once on an empty database, so both may have created a
// first key (found by the outage test: B signed with a key A had never seen).
test("instances started together agree on one signing key", async () => {
  test.setTimeout(90_000);
  const user = account();
  await register(cluster.instances[0]!, user);
  const kid = (token: string) => JSON.parse(Buffer.from(token.split(".")[0]!, "base64url").toString()).kid as string;
  const { db } = await import("@/lib/db");
  const current = await db().signingKey.findMany({ where: { retiredAt: null } });
  expect(current).toHaveLength(1);
  // An instance that lost the race may sign with its own key until its key
  // cache expires (30 s); that key stays published, so its tokens verify.
  for (const instance of cluster.instances) {
    await expect
      .poll(async () => kid((await signInToken(instance, user)).access_token), { timeout: 40_000, intervals: [1000] })
      .toBe(current[0]!.kid);
  }
});

test("a session made on A works on B", async () => {
  const [a, b] = cluster.instances as [(typeof cluster.instances)[0], (typeof cluster.instances)[0]];
  const user = account();
  await register(a, user);
  const { cookie, sessionId } = await signInSession(a, user);
  const onB = await call(b, "/api/session", { headers: withCookie(cookie) });
  expect(onB.status).toBe(200);
  expect(onB.json).toMatchObject({ user: { email: user.email }, session: { id: sessionId } });
  const page = await call(b, "/account", { headers: withCookie(cookie) });
  expect(page.status).toBe(200);
  expect(page.text).toContain(user.email);
});

test("a session revoked on B is refused by A at the next request", async () => {
  const [a, b] = cluster.instances;
  const user = account();
  await register(a!, user);
  const phone = await signInSession(a!, user);
  const laptop = await signInSession(b!, user);
  expect((await call(a!, "/api/session", { headers: withCookie(phone.cookie) })).status).toBe(200);
  const revoked = await call(b!, `/api/sessions/${phone.sessionId}`, {
    method: "DELETE",
    headers: withCookie(laptop.cookie),
  });
  expect(revoked.status).toBe(200);
  const next = await call(a!, "/api/session", { headers: withCookie(phone.cookie) });
  expect(next.status).toBe(401);
  expect(next.json).toMatchObject({ error: "login_required" });
  expect((await call(a!, "/api/session", { headers: withCookie(laptop.cookie) })).status).toBe(200);
});

test("sign out everywhere on A ends the sessions used on B", async () => {
  const [a, b] = cluster.instances;
  const user = account();
  await register(a!, user);
  const onB = [await signInSession(b!, user), await signInSession(b!, user)];
  const here = await signInSession(a!, user);
  for (const { cookie } of onB)
    expect((await call(b!, "/api/session", { headers: withCookie(cookie) })).status).toBe(200);
  const everywhere = await call(a!, "/api/sessions", { method: "DELETE", headers: withCookie(here.cookie) });
  expect(everywhere.status).toBe(200);
  for (const { cookie } of [...onB, here]) {
    for (const instance of [a!, b!])
      expect((await call(instance, "/api/session", { headers: withCookie(cookie) })).status).toBe(401);
  }
  const { db } = await import("@/lib/db");
  expect(await db().session.count({ where: { user: { email: user.email } } })).toBe(0);
});

test("a JWT issued by A verifies on B", async () => {
  const [a, b] = cluster.instances;
  const user = account();
  await register(a!, user);
  const { access_token } = await signInToken(a!, user);
  const me = await call(b!, "/api/me", { headers: bearer(access_token) });
  expect(me.status).toBe(200);
  expect(me.json).toMatchObject({ email: user.email });
});

test("a DPoP proof accepted by A is refused by B: the replay record is shared", async ({ request }) => {
  const [a, b] = cluster.instances;
  const user = account();
  await register(a!, user);
  const { cookie } = await signInSession(a!, user);
  // Every instance names itself by the one public URL, which proofs name too.
  const publicUrl = process.env.PUBLIC_URL!;
  const { privateKey, publicKey } = await generateKeyPair("ES256");
  const jwk = await exportJWK(publicKey);
  const proof = (htm: string, path: string, claims: Record<string, string> = {}) =>
    new SignJWT({ jti: randomUUID(), iat: Math.floor(Date.now() / 1000), htm, htu: `${publicUrl}${path}`, ...claims })
      .setProtectedHeader({ alg: "ES256", typ: "dpop+jwt", jwk })
      .sign(privateKey);
  const { verifier, challenge } = pkcePair();
  const redirectUri = "http://127.0.0.1:53700/callback";
  const path = authorizePath(redirectUri, challenge, { dpop_jkt: await calculateJwkThumbprint(jwk, "sha256") });
  // Not Node's fetch, which says "sec-fetch-mode: cors" (a script's fetch,
  // which /authorize refuses); this stands for the browser's navigation.
  const authorized = await request.get(`${a!.url}${path}`, {
    headers: withCookie(cookie),
    maxRedirects: 0,
  });
  expect(authorized.status()).toBe(302);
  const code = new URL(authorized.headers()["location"]!).searchParams.get("code")!;
  const form = new URLSearchParams({
    grant_type: "authorization_code",
    client_id: "cli",
    redirect_uri: redirectUri,
    code,
    code_verifier: verifier,
  });
  const issued = await fetch(`${b!.url}/api/auth/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", dpop: await proof("POST", "/api/auth/token") },
    body: form,
  });
  expect(issued.status).toBe(200);
  const { access_token } = (await issued.json()) as { access_token: string };
  const ath = createHash("sha256").update(access_token).digest("base64url");
  const headers = { authorization: `DPoP ${access_token}`, dpop: await proof("GET", "/api/me", { ath }) };
  expect((await call(a!, "/api/me", { headers })).status).toBe(200);
  const replayed = await call(b!, "/api/me", { headers });
  expect(replayed.status).toBe(401);
  expect(replayed.json).toMatchObject({ error: "invalid_dpop_proof" });
  // A fresh proof works on B.
  const fresh = { authorization: `DPoP ${access_token}`, dpop: await proof("GET", "/api/me", { ath }) };
  expect((await call(b!, "/api/me", { headers: fresh })).status).toBe(200);
});

test("a refresh token reused on B revokes the family issued on A", async () => {
  const [a, b] = cluster.instances;
  const user = account();
  await register(a!, user);
  const first = await signInToken(a!, user);
  const rotated = await call(a!, "/api/auth/refresh", { body: { refresh_token: first.refresh_token } });
  expect(rotated.status).toBe(200);
  const current = rotated.json as { access_token: string; refresh_token: string };
  // Past the grace window for a double-submit (1 s here), the spent token is
  // a stolen copy. Waiting it out is the point: it is the server's clock.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const replay = await call(b!, "/api/auth/refresh", { body: { refresh_token: first.refresh_token } });
  expect(replay.status).toBe(401);
  expect(replay.json).toMatchObject({ error: "invalid_grant" });
  // The legitimate holder's newer token is dead too, on either instance.
  for (const instance of [a!, b!]) {
    expect((await call(instance, "/api/auth/refresh", { body: { refresh_token: current.refresh_token } })).status).toBe(
      401,
    );
  }
  const { db } = await import("@/lib/db");
  const family = await db().refreshFamily.findFirstOrThrow({ where: { user: { email: user.email } } });
  expect(family.revokedReason).toBe("reuse_detected");
});

test("a key rotated on A is used and verified by B without a failed request", async () => {
  test.setTimeout(120_000);
  const [a, b] = cluster.instances;
  const user = account();
  await register(a!, user);
  const session = await signInSession(a!, user);
  const tokens = [(await signInToken(a!, user)).access_token, (await signInToken(b!, user)).access_token];
  const oldKid = ((await call(b!, "/api/me", { headers: bearer(tokens[1]!) })).json!.token as { kid: string }).kid;

  const rotation = await call(a!, "/api/scenarios/key-rotation", {
    method: "POST",
    headers: withCookie(session.cookie),
  });
  expect(rotation.status).toBe(200);
  const { db } = await import("@/lib/db");
  const newKid = (await db().signingKey.findFirstOrThrow({ where: { retiredAt: null } })).kid;
  expect(newKid).not.toBe(oldKid);

  // Until B's key cache expires (30 s) it may still sign with the retired
  // key; every token from either instance must verify on both throughout.
  const failures: string[] = [];
  let checks = 0;
  let bKid = oldKid;
  const deadline = Date.now() + 45_000;
  while (bKid !== newKid && Date.now() < deadline) {
    for (const [issuer, instance] of [
      [a!, "A"],
      [b!, "B"],
    ] as const) {
      const { access_token } = await signInToken(issuer, user);
      tokens.push(access_token);
      if (instance === "B") bKid = JSON.parse(Buffer.from(access_token.split(".")[0]!, "base64url").toString()).kid;
    }
    for (const token of tokens.slice(-6)) {
      for (const verifier of [a!, b!]) {
        const me = await call(verifier, "/api/me", { headers: bearer(token) });
        checks++;
        if (me.status !== 200) failures.push(`${verifier.name}: ${me.status} ${me.text}`);
      }
    }
    // A poll: requests keep coming until B signs with the new key.
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  expect(bKid, "B signs with the key A created").toBe(newKid);
  expect(failures, `${checks} checks`).toEqual([]);
  // The first tokens, signed with the retired key, still verify everywhere.
  for (const verifier of [a!, b!])
    expect((await call(verifier, "/api/me", { headers: bearer(tokens[0]!) })).status).toBe(200);
});

test("denylist mode switched on A is followed by B", async () => {
  const [a, b] = cluster.instances;
  const user = account();
  await register(a!, user);
  const { access_token } = await signInToken(a!, user);
  try {
    expect(
      (await call(a!, "/api/auth/denylist", { method: "PUT", body: { enabled: true }, headers: bearer(access_token) }))
        .status,
    ).toBe(200);
    const victim = await signInToken(b!, user);
    expect((await call(b!, "/api/auth/revoke", { body: { token: victim.access_token } })).status).toBe(200);
    // B re-reads the switch every 2 s.
    await expect
      .poll(async () => (await call(b!, "/api/me", { headers: bearer(victim.access_token) })).status, { timeout: 5000 })
      .toBe(401);
    expect((await call(a!, "/api/me", { headers: bearer(victim.access_token) })).status).toBe(401);
  } finally {
    await call(a!, "/api/auth/denylist", { method: "PUT", body: { enabled: false }, headers: bearer(access_token) });
  }
});

test("failed sign-ins counted on A throttle the same client on B", async () => {
  const [a, b] = cluster.instances as [(typeof cluster.instances)[0], (typeof cluster.instances)[0]];
  const user = account();
  await register(a, user);
  for (let i = 0; i < 6; i++)
    expect((await call(a, "/api/auth/token", { body: { ...user, password: `wrong ${i}` } })).status).toBe(401);
  const onB = await call(b, "/api/auth/token", { body: user });
  expect(onB.status).toBe(429);
  expect(onB.headers.get("retry-after")).toMatch(/^\d+$/);
});
