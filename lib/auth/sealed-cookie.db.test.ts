import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, dbReady } from "@/lib/db";
import { countQueries } from "@/lib/query-count";
import { openSealedSession, sealSession, stampValidAfter } from "@/lib/auth/sealed-cookie";
import { sealSessionToken } from "@/lib/auth/session-cookie";
import { generateSessionToken } from "@/lib/auth/session";

const HOUR = 3600_000;
const newUser = () => db().user.create({ data: { email: `sc-${randomUUID()}@example.com`, passwordHash: "x" } });

beforeAll(() => dbReady());
afterAll(() => db().$disconnect());

describe("a sealed session (stateless cookie)", () => {
  it("opens to who it was sealed for, without a store read", async () => {
    const user = await newUser();
    const { sealed, session } = await sealSession(user);
    expect(session.expiresAt - session.issuedAt).toBe(8 * HOUR);
    expect(sealed).toMatch(/^Fe26\.2\*1\*/);
    expect(sealed).not.toContain(user.email);
    const { value, queries } = await countQueries(() => openSealedSession(sealed, { stamped: false }));
    expect(value).toEqual({ ok: true, value: session });
    expect(queries.reads).toBe(0);
  });

  it("is refused at its expiry, and when altered or of another kind", async () => {
    const user = await newUser();
    const { sealed, session } = await sealSession(user);
    const at = (ms: number) => new Date(session.expiresAt + ms);
    expect((await openSealedSession(sealed, { stamped: false, now: at(-1) })).ok).toBe(true);
    expect(await openSealedSession(sealed, { stamped: false, now: at(0) })).toMatchObject({
      ok: false,
      error: { code: "expired" },
    });
    const altered = sealed.replace(/\*([^*]+)\*(\d+)\*/, (_m, c: string, e: string) => `*${c.slice(0, -2)}AA*${e}*`);
    expect(await openSealedSession(altered, { stamped: false })).toMatchObject({ error: { code: "malformed" } });
    // A session cookie's seal (a token) is not a sealed session.
    const token = await sealSessionToken(generateSessionToken());
    expect(await openSealedSession(token, { stamped: false })).toMatchObject({ error: { code: "malformed" } });
  });

  it("with the stamp: one read, and every session sealed before the stamp is refused", async () => {
    const user = await newUser();
    const t0 = new Date(Date.now() - 60_000);
    const before = await sealSession(user, t0);
    const { value, queries } = await countQueries(() => openSealedSession(before.sealed, { stamped: true }));
    expect(value.ok).toBe(true);
    expect(queries.reads).toBe(1);
    await stampValidAfter(user.id, new Date(t0.getTime() + 1000));
    expect(await openSealedSession(before.sealed, { stamped: true })).toMatchObject({ error: { code: "revoked" } });
    // The plain design never looks.
    expect((await openSealedSession(before.sealed, { stamped: false })).ok).toBe(true);
    const after = await sealSession(user, new Date(t0.getTime() + 2000));
    expect((await openSealedSession(after.sealed, { stamped: true })).ok).toBe(true);
    // Another user's stamp is not this one's.
    const other = await sealSession(await newUser(), t0);
    expect((await openSealedSession(other.sealed, { stamped: true })).ok).toBe(true);
  });
});
