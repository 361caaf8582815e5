import { randomUUID } from "node:crypto";
import bcrypt from "bcryptjs";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { registerUser } from "@/lib/auth/accounts";

const client = { ip: "192.0.2.10", userAgent: "vitest" };
afterAll(() => db().$disconnect());

describe("registerUser", () => {
  it("stores the normalised email and a bcrypt hash, never the password, and audits it", async () => {
    const local = `New.${randomUUID()}`;
    const result = await registerUser({ email: ` ${local}@Example.COM `, password: "a fine password" }, client);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.email).toBe(`${local.toLowerCase()}@example.com`);
    const row = await db().user.findUniqueOrThrow({ where: { id: result.value.id } });
    expect(row.passwordHash).not.toContain("a fine password");
    expect(await bcrypt.compare("a fine password", row.passwordHash)).toBe(true);
    const events = await db().authEvent.findMany({ where: { userId: row.id } });
    expect(events).toMatchObject([{ type: "register", ip: "192.0.2.10", userAgent: "vitest" }]);
  });

  it("refuses a second account for the same email in any case", async () => {
    const email = `dup-${randomUUID()}@example.com`;
    expect((await registerUser({ email, password: "password one" }, client)).ok).toBe(true);
    expect(await registerUser({ email: email.toUpperCase(), password: "password two" }, client)).toMatchObject({
      ok: false,
      error: { code: "email_taken" },
    });
  });

  it("lets exactly one of several simultaneous registrations win", async () => {
    const email = `race-${randomUUID()}@example.com`;
    const results = await Promise.all(
      Array.from({ length: 6 }, () => registerUser({ email, password: "same password" }, client)),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.error.code === "email_taken")).toHaveLength(5);
    expect(await db().user.count({ where: { email } })).toBe(1);
  });
});
