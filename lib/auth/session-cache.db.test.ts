import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, dbReady } from "@/lib/db";
import { countQueries } from "@/lib/query-count";
import { checkCachedSession, sealSessionCopy } from "@/lib/auth/session-cache";
import { invalidateSession } from "@/lib/auth/session";
import { signedInSession } from "@/tests/sign-in";

const client = { ip: "192.0.2.46", userAgent: "vitest" };
const newUser = () => db().user.create({ data: { email: `cc-${randomUUID()}@example.com`, passwordHash: "x" } });

beforeAll(() => dbReady());
afterAll(() => db().$disconnect());

// LAB_COOKIE_CACHE_TTL: 30 s by default.
describe("a server session with a sealed copy in a second cookie", () => {
  it("a fresh copy answers without the store; a stale one reads the row and is sealed again", async () => {
    const user = await newUser();
    const { token, session } = await signedInSession(user, client);
    const now = new Date();
    const { sealed, copy } = await sealSessionCopy(token, session, user, now);
    expect(copy.cachedUntil - now.getTime()).toBe(30_000);
    const fresh = await countQueries(() => checkCachedSession(token, sealed, new Date(now.getTime() + 29_999)));
    expect(fresh.value).toMatchObject({ source: "copy", copy: { sub: user.id, email: user.email } });
    expect(fresh.queries.reads).toBe(0);
    const later = new Date(now.getTime() + 30_000);
    const stale = await countQueries(() => checkCachedSession(token, sealed, later));
    expect(stale.value).toMatchObject({ source: "store", validation: { status: "valid" } });
    expect(stale.queries.reads).toBe(1);
    const again = stale.value.source === "store" ? stale.value.fresh : null;
    expect(again?.copy.cachedUntil).toBe(later.getTime() + 30_000);
  });

  it("a revoked row is seen only once the copy is stale", async () => {
    const user = await newUser();
    const { token, session } = await signedInSession(user, client);
    const now = new Date();
    const { sealed } = await sealSessionCopy(token, session, user, now);
    await invalidateSession(session.id);
    expect((await checkCachedSession(token, sealed, now)).source).toBe("copy");
    expect(await checkCachedSession(token, sealed, new Date(now.getTime() + 30_000))).toEqual({
      source: "store",
      validation: { status: "invalid", reason: "unknown" },
      fresh: null,
    });
  });

  it("a copy answers only beside the session cookie it was made for", async () => {
    const user = await newUser();
    const one = await signedInSession(user, client);
    const two = await signedInSession(user, client);
    const { sealed } = await sealSessionCopy(one.token, one.session, user);
    expect((await checkCachedSession(two.token, sealed)).source).toBe("store");
    expect(sealed).not.toContain(one.session.tokenHash);
  });
});
