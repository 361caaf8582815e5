// One account, every device: browser sessions and token clients in one
// list, ending one or all, and what ending a token device does to its live
// access token with denylist mode off and on.
import type { APIRequestContext } from "@playwright/test";
import { decodeJwt } from "jose";
import { db } from "@/lib/db";
import { expect, test, type Account } from "../fixtures";
import { actionId, apiClientTokens } from "../helpers";
import { INTROSPECTION_CLIENT } from "../test-env";

test.afterAll(() => db().$disconnect());

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const CLI = "svj-cli/1.0 (a command-line client)";

// An account signed in twice, the two devices these tests are about: a
// browser session (the request context's cookie) and an API client (its
// tokens, the refresh token in the JSON).
async function twoDevices(request: APIRequestContext, user: Account) {
  const session = await request.post("/api/session", { data: { email: user.email, password: user.password } });
  expect(session.status()).toBe(200);
  const sessionId = (await session.json()).session.id as string;
  const pair = await apiClientTokens(request, user, { "user-agent": CLI });
  // The token's family (`sid`) is its device.
  const familyId = decodeJwt(pair.access_token).sid as string;
  return { user, sessionId, familyId, pair };
}

async function introspect(request: APIRequestContext, token: string) {
  const credentials = Buffer.from(`${INTROSPECTION_CLIENT.id}:${INTROSPECTION_CLIENT.secret}`).toString("base64");
  const answer = await request.post("/api/auth/introspect", {
    headers: { authorization: `Basic ${credentials}` },
    form: { token },
  });
  return (await answer.json()).active as boolean;
}

async function setDenylist(request: APIRequestContext, access: string, enabled: boolean) {
  expect((await request.put("/api/auth/denylist", { headers: bearer(access), data: { enabled } })).status()).toBe(200);
}

test("lists both kinds of device, the caller's marked, to a session and to a Bearer token", async ({
  request,
  newAccount,
}) => {
  const { user, sessionId, familyId, pair } = await twoDevices(request, newAccount);
  const asSession = await request.get("/api/devices");
  expect(asSession.status()).toBe(200);
  expect(asSession.headers()["cache-control"]).toBe("no-store");
  const { devices } = await asSession.json();
  expect(devices).toHaveLength(2);
  expect(devices).toEqual(
    expect.arrayContaining([
      {
        id: sessionId,
        kind: "session",
        client_id: null,
        created_at: expect.any(String),
        last_used_at: expect.any(String),
        ip: "127.0.0.1",
        user_agent: expect.any(String),
        current: true,
      },
      {
        id: familyId,
        kind: "token",
        client_id: "api",
        created_at: expect.any(String),
        last_used_at: expect.any(String),
        ip: "127.0.0.1",
        user_agent: CLI,
        current: false,
      },
    ]),
  );
  // A refresh is the token device being used: its last-used time moves.
  const before = devices.find((d: { kind: string }) => d.kind === "token").last_used_at;
  // Times are kept to the millisecond: the refresh must come at a later one.
  await expect.poll(() => Date.now()).toBeGreaterThan(Date.parse(before));
  const refreshed = await request.post("/api/auth/refresh", {
    data: { refresh_token: pair.refresh_token },
    headers: { "user-agent": `${CLI} v2` },
  });
  const { access_token } = await refreshed.json();
  const asToken = await (await request.get("/api/devices", { headers: { ...bearer(access_token) } })).json();
  const token = asToken.devices.find((d: { kind: string }) => d.kind === "token");
  expect(token).toMatchObject({ current: true, user_agent: `${CLI} v2` });
  expect(token.last_used_at > before).toBe(true);
  expect(asToken.devices.find((d: { kind: string }) => d.kind === "session").current).toBe(false);
  // The device list is this user's only.
  expect(asToken.devices.map((d: { id: string }) => d.id).sort()).toEqual([sessionId, familyId].sort());
  expect(user.id).not.toBe("");
});

test("ending a token device: its refresh token at once, its access token at exp (denylist off), the time said", async ({
  request,
  newAccount,
}) => {
  const { familyId, pair } = await twoDevices(request, newAccount);
  const ended = await request.delete(`/api/devices/${familyId}`);
  expect(ended.status()).toBe(200);
  const { ended: what } = await ended.json();
  expect(what).toMatchObject({ kind: "token", id: familyId });
  // exp (300 s) plus 5 s of clock tolerance, from its last sign-in or refresh.
  const left = Date.parse(what.access_token_valid_until) - Date.now();
  expect(left).toBeGreaterThan(295_000);
  expect(left).toBeLessThanOrEqual(305_000);
  const refresh = await request.post("/api/auth/refresh", { data: { refresh_token: pair.refresh_token } });
  expect(refresh.status()).toBe(401);
  expect((await request.get("/api/me", { headers: bearer(pair.access_token) })).status()).toBe(200);
  expect(await introspect(request, pair.access_token)).toBe(false);
  // Listed as ended but still working, until then.
  const { devices, ended_still_working } = await (await request.get("/api/devices")).json();
  expect(devices.map((d: { kind: string }) => d.kind)).toEqual(["session"]);
  expect(ended_still_working).toEqual([
    expect.objectContaining({ id: familyId, access_token_valid_until: what.access_token_valid_until }),
  ]);
});

// Before, the denylist held only jti's: ending a family left its access
// tokens working until exp even in denylist mode.
test(
  "in denylist mode, ending a token device refuses its live access token at the next request",
  { tag: "@serial" },
  // `tokens`: a token device of another account (the worker's).
  async ({ request, newAccount, tokens: other }) => {
    const { familyId, pair } = await twoDevices(request, newAccount);
    await setDenylist(request, other.accessToken, true);
    try {
      expect((await request.get("/api/me", { headers: bearer(pair.access_token) })).status()).toBe(200);
      const ended = await request.delete(`/api/devices/${familyId}`);
      expect((await ended.json()).ended.access_token_valid_until).toBeNull();
      const me = await request.get("/api/me", { headers: bearer(pair.access_token) });
      expect(me.status()).toBe(401);
      expect((await me.json()).error_description).toBe(
        "The access token's device was signed out (its refresh family ended).",
      );
      // Another device of another account is untouched.
      expect((await request.get("/api/me", { headers: other.bearer })).status()).toBe(200);
    } finally {
      await setDenylist(request, other.accessToken, false);
    }
  },
);

test("ending a session: refused at its next request; another account's or a made-up id is 404", async ({
  request,
  playwright,
  newAccount,
  account: strangersAccount,
}) => {
  const { sessionId, pair } = await twoDevices(request, newAccount);
  const stranger = await playwright.request.newContext({ baseURL: test.info().project.use.baseURL });
  const theirs = await twoDevices(stranger, strangersAccount);
  for (const id of [theirs.sessionId, theirs.familyId, "no-such-device"]) {
    const answer = await request.delete(`/api/devices/${encodeURIComponent(id)}`);
    expect(answer.status(), id).toBe(404);
    expect((await answer.json()).error).toBe("not_found");
  }
  expect((await stranger.get("/api/session")).status()).toBe(200);
  // A Bearer caller ends this account's browser session.
  const ended = await request.delete(`/api/devices/${sessionId}`, { headers: { ...bearer(pair.access_token) } });
  expect(ended.status()).toBe(200);
  expect((await ended.json()).ended).toEqual({ kind: "session", id: sessionId, access_token_valid_until: null });
  expect((await request.get("/api/session")).status()).toBe(401);
  await stranger.dispose();
});

test("cookie callers from another site are refused (403); Bearer callers need no Origin", async ({
  request,
  newAccount,
}) => {
  const { sessionId, familyId, pair } = await twoDevices(request, newAccount);
  const foreign = { origin: "https://evil.example", "sec-fetch-site": "cross-site" };
  expect((await request.delete(`/api/devices/${familyId}`, { headers: foreign })).status()).toBe(403);
  expect((await request.delete("/api/devices", { headers: foreign })).status()).toBe(403);
  expect((await request.get("/api/session")).status()).toBe(200);
  const viaBearer = await request.delete(`/api/devices/${sessionId}`, {
    headers: { ...foreign, ...bearer(pair.access_token) },
  });
  expect(viaBearer.status()).toBe(200);
});

test("ending all: every session and token device, the caller's included", async ({
  request,
  playwright,
  newAccount,
}) => {
  const { user, pair } = await twoDevices(request, newAccount);
  const laptop = await playwright.request.newContext({ baseURL: test.info().project.use.baseURL });
  await laptop.post("/api/session", { data: { email: user.email, password: user.password } });
  const all = await request.delete("/api/devices", { headers: bearer(pair.access_token) });
  expect(all.status()).toBe(200);
  expect(await all.json()).toEqual({ ended_sessions: 2, ended_token_devices: 1 });
  expect((await laptop.get("/api/session")).status()).toBe(401);
  expect((await request.get("/api/session")).status()).toBe(401);
  expect((await request.post("/api/auth/refresh", { data: { refresh_token: pair.refresh_token } })).status()).toBe(401);
  expect(await db().session.count({ where: { userId: user.id } })).toBe(0);
  expect(await db().refreshFamily.count({ where: { userId: user.id, revokedAt: null } })).toBe(0);
  await laptop.dispose();
});

test("no credential: 401", async ({ playwright }) => {
  const nobody = await playwright.request.newContext({ baseURL: test.info().project.use.baseURL });
  expect((await nobody.get("/api/devices")).status()).toBe(401);
  expect((await nobody.delete("/api/devices")).status()).toBe(401);
  await nobody.dispose();
});

// Every visitor of a deployment shares the demo account: each sees and may
// end only the device they are using.
test("on the shared demo account, other visitors' devices are neither listed nor ended", async ({ playwright }) => {
  const { DEMO_USER } = await import("@/lib/showcase/demo");
  const baseURL = test.info().project.use.baseURL;
  const [me, visitor] = await Promise.all([0, 1].map(() => playwright.request.newContext({ baseURL })));
  for (const context of [me!, visitor!]) {
    expect((await context.post("/api/session", { data: DEMO_USER })).status()).toBe(200);
  }
  const theirs = (await (await visitor!.get("/api/devices")).json()).devices[0].id as string;
  const mine = await (await me!.get("/api/devices")).json();
  expect(mine.devices).toHaveLength(1);
  expect(mine.devices[0]).toMatchObject({ current: true });
  expect(mine.hidden).toBeGreaterThan(0);
  expect((await me!.delete(`/api/devices/${theirs}`)).status()).toBe(404);
  expect((await visitor!.get("/api/session")).status()).toBe(200);
  for (const context of [me!, visitor!]) await context.dispose();
});

// A junk Authorization header is a Bearer caller with a bad token: it never
// falls back to the cookie it also carries.
test("a bad Bearer token is 401 even with a valid session cookie", async ({ request, newAccount }) => {
  const { familyId } = await twoDevices(request, newAccount);
  const junk = { authorization: "Bearer not-a-token" };
  expect((await request.get("/api/devices", { headers: junk })).status()).toBe(401);
  expect((await request.delete(`/api/devices/${familyId}`, { headers: junk })).status()).toBe(401);
  expect((await request.get("/api/devices")).status()).toBe(200);
});

// With denylist mode off an ended device's access token still verifies
// elsewhere until exp; it must not keep managing the account's devices.
test("an ended token device's access token can no longer list or end devices", async ({ request, newAccount }) => {
  const { sessionId, familyId, pair } = await twoDevices(request, newAccount);
  expect((await request.delete(`/api/devices/${familyId}`)).status()).toBe(200);
  expect((await request.get("/api/me", { headers: bearer(pair.access_token) })).status()).toBe(200);
  const list = await request.get("/api/devices", { headers: bearer(pair.access_token) });
  expect(list.status()).toBe(401);
  const end = await request.delete(`/api/devices/${sessionId}`, { headers: bearer(pair.access_token) });
  expect(end.status()).toBe(401);
  expect((await request.get("/api/session")).status()).toBe(200);
});

// A form posted to a server action as React sends it: the form's fields,
// then the argument list ("0", last), whose "$K1" refers to them.
function actionForm(fields: [string, string][]): FormData {
  const form = new FormData();
  for (const [name, value] of fields) form.append(name, value);
  form.append("0", '["$K1"]');
  return form;
}

// The page's confirmation is not only in the page: the action itself
// refuses to end everything without the form's confirm=yes.
test("the sign-out-everywhere action ends nothing without its confirmation", async ({
  request,
  playwright,
  newAccount,
}) => {
  const { user } = await twoDevices(request, newAccount);
  const baseURL = test.info().project.use.baseURL!;
  const laptop = await playwright.request.newContext({ baseURL });
  await laptop.post("/api/session", { data: { email: user.email, password: user.password } });
  const unconfirmed = await request.post("/account/devices", {
    headers: { "next-action": actionId("signOutEverywhereAction"), origin: baseURL },
    multipart: actionForm([["_1_note", "no confirm field"]]),
    maxRedirects: 0,
  });
  expect(unconfirmed.status()).toBeLessThan(400);
  expect((await laptop.get("/api/session")).status()).toBe(200);
  expect((await request.get("/api/session")).status()).toBe(200);
  const confirmed = await request.post("/account/devices", {
    headers: { "next-action": actionId("signOutEverywhereAction"), origin: baseURL },
    multipart: actionForm([["_1_confirm", "yes"]]),
    maxRedirects: 0,
  });
  expect(confirmed.status()).toBeLessThan(400);
  expect((await laptop.get("/api/session")).status()).toBe(401);
  await laptop.dispose();
});

test("the sessions API ends sessions only", async ({ request, newAccount }) => {
  const { familyId, pair } = await twoDevices(request, newAccount);
  expect((await request.delete(`/api/sessions/${familyId}`)).status()).toBe(404);
  expect((await request.post("/api/auth/refresh", { data: { refresh_token: pair.refresh_token } })).status()).toBe(200);
});
