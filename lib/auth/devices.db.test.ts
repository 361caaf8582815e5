import { randomUUID } from "node:crypto";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { config } from "@/lib/config";
import { issueAccessToken, verifyAccessToken } from "@/lib/auth/jwt";
import { findAccessTokenRevocation, setDenylistEnabled } from "@/lib/auth/denylist";
import { endAllUserDevices, endUserDevice, listEndedTokenDevices, listUserDevices } from "@/lib/auth/devices";
import { rotateRefreshToken } from "@/lib/auth/refresh";
import { signedInSession, signedInFamily } from "@/tests/sign-in";

afterAll(() => db().$disconnect());
afterEach(() => setDenylistEnabled(false));

const laptop = { ip: "192.0.2.10", userAgent: "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0" };
const cli = { ip: "198.51.100.7", userAgent: "svj-cli/1.0" };

async function account() {
  const user = await db().user.create({ data: { email: `d-${randomUUID()}@example.com`, passwordHash: "x" } });
  const { session } = await signedInSession(user, laptop);
  // Signed in on the command line a second after the browser: listed first.
  const family = await signedInFamily(user, "api", new Date(Date.now() + 1000), cli);
  const access = await issueAccessToken(user, { clientId: "api", familyId: family.familyId });
  return { user, session, family, access };
}

describe("the device list", () => {
  it("holds the sessions and live refresh families of one account, newest use first", async () => {
    const { user, session, family } = await account();
    await account();
    const devices = await listUserDevices(user.id, { kind: "session", id: session.id });
    expect(devices.map((d) => [d.kind, d.id, d.ip, d.current])).toEqual([
      ["token", family.familyId, cli.ip, false],
      ["session", session.id, laptop.ip, true],
    ]);
    // Rotation records where the device was last used from.
    await rotateRefreshToken(family.token, { ip: "203.0.113.9", userAgent: "svj-cli/1.1" });
    const [token] = await listUserDevices(user.id, { kind: "token", id: family.familyId });
    expect(token).toMatchObject({ ip: "203.0.113.9", user_agent: "svj-cli/1.1", current: true });
  });

  it("ends one device of its own account only", async () => {
    const mine = await account();
    const theirs = await account();
    expect(await endUserDevice(mine.user.id, theirs.session.id, cli)).toBeNull();
    expect(await endUserDevice(mine.user.id, theirs.family.familyId, cli)).toBeNull();
    expect(await endUserDevice(mine.user.id, mine.session.id, cli)).toMatchObject({ kind: "session" });
    expect(await endUserDevice(mine.user.id, mine.family.familyId, cli)).toMatchObject({ kind: "token" });
    expect(await endUserDevice(mine.user.id, mine.family.familyId, cli)).toBeNull();
    expect(await listUserDevices(mine.user.id, { kind: "session", id: "" })).toEqual([]);
    expect(await listUserDevices(theirs.user.id, { kind: "session", id: "" })).toHaveLength(2);
  });

  it("says until when an ended token device's access token still works, unless denylist mode cuts it", async () => {
    const { user, family } = await account();
    const ended = await endUserDevice(user.id, family.familyId, cli);
    const { accessTokenTtlMs, clockToleranceSeconds } = config().jwt;
    const until = Date.parse(ended!.access_token_valid_until!);
    expect(until - Date.now()).toBeGreaterThan(accessTokenTtlMs + clockToleranceSeconds * 1000 - 5000);
    expect((await listEndedTokenDevices(user.id)).map((d) => d.id)).toEqual([family.familyId]);
    await setDenylistEnabled(true);
    expect(await listEndedTokenDevices(user.id)).toEqual([]);
    const other = await account();
    expect((await endUserDevice(other.user.id, other.family.familyId, cli))!.access_token_valid_until).toBeNull();
  });

  it("ending all ends both kinds", async () => {
    const { user } = await account();
    expect(await endAllUserDevices(user.id, cli)).toEqual({ sessions: 1, families: 1 });
    expect(await listUserDevices(user.id, { kind: "session", id: "" })).toEqual([]);
  });
});

describe("revocation of an access token, in one query", () => {
  it("by its jti, or by its family ended or gone; denylist mode refuses both, saying which", async () => {
    const { user, family, access } = await account();
    const claims = { jti: access.claims.jti, sid: family.familyId };
    expect(await findAccessTokenRevocation(claims)).toBeNull();
    await setDenylistEnabled(true);
    expect(await verifyAccessToken(access.token)).toMatchObject({ ok: true });
    await endUserDevice(user.id, family.familyId, cli);
    expect(await findAccessTokenRevocation(claims)).toBe("family");
    expect(await verifyAccessToken(access.token)).toMatchObject({
      ok: false,
      error: { code: "revoked", description: "The access token's device was signed out (its refresh family ended)." },
    });
    expect(await findAccessTokenRevocation({ jti: access.claims.jti, sid: "no-such-family" })).toBe("family");
    await setDenylistEnabled(false);
    expect(await verifyAccessToken(access.token)).toMatchObject({ ok: true });
  });
});
