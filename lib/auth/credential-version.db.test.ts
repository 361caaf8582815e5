import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { replaceCredential, whileCredentialCurrent } from "@/lib/auth/credential-version";
import { revokeUserFamilies, rotateRefreshToken, startRefreshFamily } from "@/lib/auth/refresh";
import { createSession, hashSessionToken, invalidateUserSessions, validateSessionToken } from "@/lib/auth/session";
import { signedInFamily, signedInSession } from "@/tests/sign-in";

const client = { ip: "192.0.2.9", userAgent: "vitest" };
const newUser = () => db().user.create({ data: { email: `cv-${randomUUID()}@example.com`, passwordHash: "old" } });

// What changePassword does in its transaction.
const change = (user: { id: string; credentialVersion: number }, passwordHash = "new") =>
  replaceCredential(user, passwordHash, async (tx) => ({
    sessions: await invalidateUserSessions(user.id, {}, tx),
    families: await revokeUserFamilies(user.id, "password_changed", new Date(), tx),
  }));

afterAll(() => db().$disconnect());

describe("a password change and the sign-ins that checked the old password", () => {
  it("raises the version, ends what exists, and refuses a session or family for the old version", async () => {
    const user = await newUser();
    const before = await signedInSession(user, client);
    const family = await signedInFamily(user, "api");
    const changed = await change(user);
    expect(changed).toMatchObject({
      holder: { id: user.id, credentialVersion: 1 },
      ended: { sessions: 1, families: 1 },
    });
    expect(await db().user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({
      passwordHash: "new",
      credentialVersion: 1,
    });
    expect(await validateSessionToken(before.token)).toEqual({ status: "invalid", reason: "unknown" });
    expect(await rotateRefreshToken(family.token, client)).toMatchObject({
      ok: false,
      error: { code: "family_revoked" },
    });

    // A sign-in that read version 0 with the old hash, finishing now.
    expect(await createSession(user, client)).toBeNull();
    expect(await startRefreshFamily(user, "api", new Date(), client)).toBeNull();
    expect(await db().session.count({ where: { userId: user.id } })).toBe(0);
    expect(await db().refreshFamily.count({ where: { userId: user.id, revokedAt: null } })).toBe(0);

    // At the new version it signs in.
    const after = await signedInSession(changed!.holder, client);
    expect(await validateSessionToken(after.token)).toMatchObject({ status: "valid" });
  });

  it("a second change checked against the old password changes nothing", async () => {
    const user = await newUser();
    expect(await change(user, "first")).not.toBeNull();
    expect(await change(user, "second")).toBeNull();
    expect(await db().user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({
      passwordHash: "first",
      credentialVersion: 1,
    });
  });

  // Rows the transaction would never let through, written directly: as if
  // a crash had left them between the change and its clean-up. Every check
  // of them still refuses, and ends them.
  it("a session or family made under an older version is refused at its next use, and ended", async () => {
    const user = await newUser();
    const session = await signedInSession(user, client);
    const family = await signedInFamily(user, "api");
    await db().user.update({ where: { id: user.id }, data: { credentialVersion: 1 } });

    expect(await validateSessionToken(session.token)).toEqual({ status: "invalid", reason: "password_changed" });
    expect(await db().session.count({ where: { tokenHash: hashSessionToken(session.token) } })).toBe(0);

    expect(await rotateRefreshToken(family.token, client)).toMatchObject({
      ok: false,
      error: { code: "family_revoked" },
    });
    expect(await db().refreshFamily.findUniqueOrThrow({ where: { id: family.familyId } })).toMatchObject({
      revokedReason: "password_changed",
    });
  });

  // The race itself, made deterministic: a sign-in's transaction holds the
  // user's row while another instance (a process of its own) changes the
  // password. The change waits for the sign-in to commit, then ends the
  // session it made; without the hold, it would commit first and miss it.
  it("a change made elsewhere while a sign-in's transaction is open waits for it, then ends its session", async () => {
    const user = await newUser();
    const elsewhere = spawn(
      "node_modules/.bin/tsx",
      ["tests/change-password-elsewhere.ts", user.id, String(user.credentialVersion)],
      { env: process.env },
    );
    let output = "";
    elsewhere.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    const exited = new Promise((resolve) => elsewhere.on("close", resolve));
    const made = await whileCredentialCurrent(user, async (tx) => {
      const session = await tx.session.create({
        data: {
          tokenHash: hashSessionToken(randomUUID()),
          userId: user.id,
          createdAt: new Date(),
          lastSeenAt: new Date(),
          absoluteExpiresAt: new Date(Date.now() + 60_000),
          credentialVersion: user.credentialVersion,
        },
      });
      await expect.poll(() => output, { timeout: 10_000 }).toContain("ready");
      // Long enough for the change to commit, had it not waited.
      await new Promise((resolve) => setTimeout(resolve, 500));
      return session;
    });
    expect(made).not.toBeNull();
    await exited;
    expect(JSON.parse(output.split("\n")[1]!)).toMatchObject({ ended: { sessions: 1 } });
    expect(await db().session.count({ where: { userId: user.id } })).toBe(0);
  }, 20_000);
});
