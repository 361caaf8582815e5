import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import {
  invalidateUserSession,
  invalidateUserSessions,
  listUserSessions,
  validateSessionToken,
} from "@/lib/auth/session";
import { signedInSession } from "@/tests/sign-in";

// Defaults: 30 min idle, 8 h absolute, renewal at most once a minute.
const MIN = 60_000;
const client = { ip: "192.0.2.44", userAgent: "vitest" };
const t0 = new Date(Date.now() + 1000);
const at = (ms: number) => new Date(t0.getTime() + ms);
const newUser = () => db().user.create({ data: { email: `s-${randomUUID()}@example.com`, passwordHash: "x" } });

afterAll(() => db().$disconnect());

describe("sessions in the database", () => {
  it("stores only the token's hash, with user, times, address and device", async () => {
    const user = await newUser();
    const { token, session } = await signedInSession(user, client, t0);
    const rows = await db().session.findMany({ where: { userId: user.id } });
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(rows[0]).toMatchObject({
      id: session.id,
      ip: "192.0.2.44",
      userAgent: "vitest",
      createdAt: t0,
      lastSeenAt: t0,
      absoluteExpiresAt: at(8 * 60 * MIN),
    });
    expect(await validateSessionToken(token, at(1000))).toMatchObject({
      status: "valid",
      user: { id: user.id, email: user.email },
    });
  });

  it("reads back the record exactly as written (times in UTC, on either database)", async () => {
    const user = await newUser();
    const { token, session } = await signedInSession(user, { ip: null, userAgent: null }, t0);
    const found = await validateSessionToken(token, at(1000));
    expect(found).toEqual({ status: "valid", session, user: { id: user.id, email: user.email } });
  });

  it("writes last-seen only when a minute has passed", async () => {
    const user = await newUser();
    const { token, session } = await signedInSession(user, client, t0);
    await validateSessionToken(token, at(59_000));
    expect((await db().session.findUniqueOrThrow({ where: { id: session.id } })).lastSeenAt).toEqual(t0);
    await validateSessionToken(token, at(61_000));
    expect((await db().session.findUniqueOrThrow({ where: { id: session.id } })).lastSeenAt).toEqual(at(61_000));
    // Activity keeps it alive past the first idle window.
    expect((await validateSessionToken(token, at(61_000 + 29 * MIN))).status).toBe("valid");
  });

  it("rejects and deletes a session idle too long, and audits it", async () => {
    const user = await newUser();
    const { token, session } = await signedInSession(user, client, t0);
    expect(await validateSessionToken(token, at(30 * MIN))).toEqual({ status: "invalid", reason: "idle" });
    expect(await db().session.findUnique({ where: { id: session.id } })).toBeNull();
    const events = await db().authEvent.findMany({ where: { userId: user.id, type: "session.expired" } });
    expect(events).toHaveLength(1);
    expect(await validateSessionToken(token, at(30 * MIN))).toEqual({ status: "invalid", reason: "unknown" });
  });

  it("rejects a session past its absolute limit even if active", async () => {
    const user = await newUser();
    const { token, session } = await signedInSession(user, client, t0);
    await db().session.update({ where: { id: session.id }, data: { lastSeenAt: at(8 * 60 * MIN - MIN) } });
    expect(await validateSessionToken(token, at(8 * 60 * MIN))).toEqual({ status: "invalid", reason: "absolute" });
  });

  it("lists active sessions and revokes one, all, or all but one", async () => {
    const user = await newUser();
    const other = await newUser();
    const a = await signedInSession(user, client, t0);
    const b = await signedInSession(user, client, t0);
    const c = await signedInSession(user, client, t0);
    const foreign = await signedInSession(other, client, t0);
    expect((await listUserSessions(user.id, at(1000))).map((s) => s.id).sort()).toEqual(
      [a, b, c].map((x) => x.session.id).sort(),
    );
    expect(await listUserSessions(user.id, at(31 * MIN))).toEqual([]);

    expect(await invalidateUserSession(user.id, foreign.session.id)).toBe(false);
    expect((await validateSessionToken(foreign.token, at(1000))).status).toBe("valid");
    expect(await invalidateUserSession(user.id, a.session.id)).toBe(true);
    expect((await validateSessionToken(a.token, at(1000))).status).toBe("invalid");

    expect(await invalidateUserSessions(user.id, { except: b.session.id })).toBe(1);
    expect((await validateSessionToken(b.token, at(1000))).status).toBe("valid");
    expect((await validateSessionToken(c.token, at(1000))).status).toBe("invalid");
    expect(await invalidateUserSessions(user.id)).toBe(1);
    expect((await validateSessionToken(b.token, at(1000))).status).toBe("invalid");
  });

  // On PostgreSQL these go as one query (lib/db.ts): each must still get
  // its own record, and a revoked one none.
  it("checked together, each token gets its own session, and a revoked one none", async () => {
    const sessions = await Promise.all(
      Array.from({ length: 24 }, async () => {
        const user = await newUser();
        return { user, ...(await signedInSession(user, client, t0)) };
      }),
    );
    const revoked = sessions.filter((_, index) => index % 3 === 0);
    for (const { user, session } of revoked) await invalidateUserSession(user.id, session.id);
    const results = await Promise.all(sessions.map(({ token }) => validateSessionToken(token, at(1000))));
    results.forEach((result, index) => {
      const { user, session } = sessions[index]!;
      if (index % 3 === 0) expect(result).toEqual({ status: "invalid", reason: "unknown" });
      else
        expect(result).toMatchObject({
          status: "valid",
          session: { id: session.id },
          user: { id: user.id, email: user.email },
        });
    });
  });

  it("are deleted with their user", async () => {
    const user = await newUser();
    const { token } = await signedInSession(user, client, t0);
    await db().user.delete({ where: { id: user.id } });
    expect((await validateSessionToken(token, at(1000))).status).toBe("invalid");
  });
});
