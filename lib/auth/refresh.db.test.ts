import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { revokeUserFamilies, rotateRefreshToken } from "@/lib/auth/refresh";
import { signedInFamily } from "@/tests/sign-in";

// Defaults: 14-day tokens, 30 s grace window.
const client = { ip: "192.0.2.7", userAgent: "vitest" };
const t0 = new Date(Date.now() + 1000);
const at = (ms: number) => new Date(t0.getTime() + ms);
const newUser = () => db().user.create({ data: { email: `r-${randomUUID()}@example.com`, passwordHash: "x" } });

afterAll(() => db().$disconnect());

describe("refresh rotation (injected clock)", () => {
  // Found by the security review: a family lived for ever by rotation, so a
  // stolen chain outlived any sign-in. Default: 30 days from the sign-in.
  it("a family ends 30 days after its sign-in, however often it rotates", async () => {
    const user = await newUser();
    const day = 86_400_000;
    let token = (await signedInFamily(user, "api", t0)).token;
    for (const when of [13, 26, 29.5]) {
      const next = await rotateRefreshToken(token, client, at(when * day));
      expect(next.ok, `rotation on day ${when}`).toBe(true);
      if (!next.ok) return;
      token = next.value.token;
      expect(next.value.expiresAt.getTime()).toBeLessThanOrEqual(at(30 * day).getTime());
    }
    expect(await rotateRefreshToken(token, client, at(30 * day + 1000))).toMatchObject({
      ok: false,
      error: { code: "expired" },
    });
  });

  it("a browser-strict client gets no grace window: a spent token shown again at once is reuse", async () => {
    for (const [clientId, replay] of [
      ["browser", "answered"],
      ["browser-strict", "reuse_detected"],
    ] as const) {
      const user = await newUser();
      const first = await signedInFamily(user, clientId, t0);
      expect((await rotateRefreshToken(first.token, client, at(1000))).ok).toBe(true);
      const again = await rotateRefreshToken(first.token, client, at(1100));
      expect(again.ok ? "answered" : again.error.code, clientId).toBe(replay);
    }
  });

  it("rotates: the old token is spent, the next generation is issued, only hashes are stored", async () => {
    const user = await newUser();
    const first = await signedInFamily(user, "api", t0);
    const second = await rotateRefreshToken(first.token, client, at(1000));
    expect(second).toMatchObject({
      ok: true,
      value: { generation: 2, familyId: first.familyId, user: { id: user.id } },
    });
    const rows = await db().refreshToken.findMany({
      where: { familyId: first.familyId },
      orderBy: { generation: "asc" },
    });
    expect(rows.map((r) => [r.generation, r.spentAt?.toISOString() ?? null])).toEqual([
      [1, at(1000).toISOString()],
      [2, null],
    ]);
    expect(JSON.stringify(rows)).not.toContain(first.token);
  });

  // The successor's insert fails (here: its generation is taken) after the
  // token was marked spent: the transaction must leave it unspent, or the
  // client would hold a spent token and nothing to replace it.
  it("a rotation that fails half way leaves the presented token unspent", async () => {
    const user = await newUser();
    const first = await signedInFamily(user, "api", t0);
    const blocker = await db().refreshToken.create({
      data: {
        tokenHash: `blocker-${randomUUID()}`,
        familyId: first.familyId,
        generation: 2,
        createdAt: t0,
        expiresAt: at(60_000),
      },
    });
    await expect(rotateRefreshToken(first.token, client, at(1000))).rejects.toThrow();
    const row = await db().refreshToken.findFirstOrThrow({ where: { familyId: first.familyId, generation: 1 } });
    expect(row.spentAt).toBeNull();
    await db().refreshToken.delete({ where: { id: blocker.id } });
    expect((await rotateRefreshToken(first.token, client, at(2000))).ok).toBe(true);
  });

  // A lost reply: the rotation committed, the client never saw its answer
  // and presents the token it has again.
  it("inside the grace window the latest spent token gets the successor it already has; the family lives", async () => {
    const user = await newUser();
    const first = await signedInFamily(user, "api", t0);
    const second = await rotateRefreshToken(first.token, client, at(0));
    const again = await rotateRefreshToken(first.token, client, at(29_999));
    expect(second.ok && again.ok).toBe(true);
    if (!second.ok || !again.ok) return;
    expect(second.value.replayed).toBe(false);
    expect(again.value).toMatchObject({
      token: second.value.token,
      generation: 2,
      familyId: first.familyId,
      expiresAt: second.value.expiresAt,
      replayed: true,
    });
    const rows = await db().refreshToken.findMany({ where: { familyId: first.familyId } });
    expect(rows.map((r) => [r.generation, r.spentAt === null])).toEqual([
      [1, false],
      [2, true],
    ]);
    expect(JSON.stringify(rows)).not.toContain(second.value.token);
    const third = await rotateRefreshToken(again.value.token, client, at(30_000));
    expect(third).toMatchObject({ ok: true, value: { generation: 3, replayed: false } });
    expect((await db().refreshFamily.findUniqueOrThrow({ where: { id: first.familyId } })).revokedAt).toBeNull();
  });

  it("inside the grace window a spent token that is not the latest spent one revokes the family", async () => {
    const user = await newUser();
    const first = await signedInFamily(user, "api", t0);
    const second = await rotateRefreshToken(first.token, client, at(0));
    expect(second.ok && (await rotateRefreshToken(second.value.token, client, at(1000))).ok).toBe(true);
    expect(await rotateRefreshToken(first.token, client, at(2000))).toMatchObject({
      ok: false,
      error: { code: "reuse_detected" },
    });
    const family = await db().refreshFamily.findUniqueOrThrow({ where: { id: first.familyId } });
    expect(family.revokedReason).toBe("reuse_detected");
  });

  // A thief with a copy of the chain rotates just before the owner every
  // time, so the owner's refresh is always the one answered again: the
  // second replay in a row ends the family.
  it("a thief who rotates just before the owner at every refresh is caught at the second replay in a row", async () => {
    const user = await newUser();
    const first = await signedInFamily(user, "api", t0);
    const thief1 = await rotateRefreshToken(first.token, client, at(0));
    const owner1 = await rotateRefreshToken(first.token, client, at(1000));
    expect(owner1).toMatchObject({ ok: true, value: { replayed: true } });
    if (!thief1.ok) return;
    expect((await rotateRefreshToken(thief1.value.token, client, at(300_000))).ok).toBe(true);
    expect(await rotateRefreshToken(thief1.value.token, client, at(301_000))).toMatchObject({
      ok: false,
      error: { code: "reuse_detected" },
    });
    const family = await db().refreshFamily.findUniqueOrThrow({ where: { id: first.familyId } });
    expect(family.revokedReason).toBe("reuse_detected");
  });

  it("lost replies in generations that are not consecutive are each answered", async () => {
    const user = await newUser();
    const first = await signedInFamily(user, "api", t0);
    // Generation 1's reply is lost, generation 2's arrives, generation 3's is lost twice.
    const second = await rotateRefreshToken(first.token, client, at(0));
    expect(await rotateRefreshToken(first.token, client, at(2000))).toMatchObject({
      ok: true,
      value: { replayed: true },
    });
    if (!second.ok) return;
    const third = await rotateRefreshToken(second.value.token, client, at(300_000));
    if (!third.ok) return;
    expect((await rotateRefreshToken(third.value.token, client, at(600_000))).ok).toBe(true);
    for (const when of [602_000, 604_000]) {
      expect(await rotateRefreshToken(third.value.token, client, at(when))).toMatchObject({
        ok: true,
        value: { replayed: true },
      });
    }
    expect((await db().refreshFamily.findUniqueOrThrow({ where: { id: first.familyId } })).revokedAt).toBeNull();
  });

  // Tokens issued under another AUTH_SECRET (or before successors were
  // derived) cannot be answered with their successor: refused, not theft.
  it("inside the grace window a successor that cannot be derived again is refused and the family kept", async () => {
    const user = await newUser();
    const first = await signedInFamily(user, "api", t0);
    expect((await rotateRefreshToken(first.token, client, at(0))).ok).toBe(true);
    await db().refreshToken.updateMany({
      where: { familyId: first.familyId, generation: 2 },
      data: { tokenHash: `other-${randomUUID()}` },
    });
    expect(await rotateRefreshToken(first.token, client, at(1000))).toMatchObject({
      ok: false,
      error: { code: "concurrent_rotation" },
    });
    expect((await db().refreshFamily.findUniqueOrThrow({ where: { id: first.familyId } })).revokedAt).toBeNull();
  });

  it("at the grace window's edge reuse revokes the whole family and is audited", async () => {
    const user = await newUser();
    const first = await signedInFamily(user, "api", t0);
    const second = await rotateRefreshToken(first.token, client, at(0));
    expect(await rotateRefreshToken(first.token, client, at(30_000))).toMatchObject({
      ok: false,
      error: { code: "reuse_detected" },
    });
    expect(second.ok && (await rotateRefreshToken(second.value.token, client, at(31_000)))).toMatchObject({
      ok: false,
      error: { code: "family_revoked" },
    });
    const family = await db().refreshFamily.findUniqueOrThrow({ where: { id: first.familyId } });
    expect(family.revokedReason).toBe("reuse_detected");
    expect(await db().authEvent.count({ where: { userId: user.id, type: "refresh.reuse_detected" } })).toBe(1);
  });

  it("refuses expired and unknown tokens", async () => {
    const user = await newUser();
    const first = await signedInFamily(user, "api", t0);
    expect(await rotateRefreshToken(first.token, client, at(14 * 86_400_000))).toMatchObject({
      ok: false,
      error: { code: "expired" },
    });
    expect(await rotateRefreshToken("not-a-token", client, t0)).toMatchObject({
      ok: false,
      error: { code: "unknown" },
    });
  });

  it("20 simultaneous rotations of one token leave exactly one live branch, which all 20 receive", async () => {
    const user = await newUser();
    const first = await signedInFamily(user, "api", t0);
    const results = await Promise.all(
      Array.from({ length: 20 }, () => rotateRefreshToken(first.token, client, at(100))),
    );
    const tokens = results.map((r) => (r.ok ? r.value.token : r.error.code));
    expect(new Set(tokens).size).toBe(1);
    expect(results.filter((r) => r.ok && !r.value.replayed)).toHaveLength(1);
    const live = await db().refreshToken.findMany({ where: { familyId: first.familyId, spentAt: null } });
    expect(live).toHaveLength(1);
    expect((await db().refreshFamily.findUniqueOrThrow({ where: { id: first.familyId } })).revokedAt).toBeNull();
  });

  it("revoking a user's families ends every refresh", async () => {
    const user = await newUser();
    const a = await signedInFamily(user, "api", t0);
    const b = await signedInFamily(user, "browser", t0);
    expect(await revokeUserFamilies(user.id, "password_changed", t0)).toBe(2);
    for (const f of [a, b])
      expect(await rotateRefreshToken(f.token, client, at(10))).toMatchObject({
        ok: false,
        error: { code: "family_revoked" },
      });
  });
});
