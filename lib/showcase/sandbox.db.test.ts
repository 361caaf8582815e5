import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { createSandboxAccount, SANDBOX_LIFETIME_MS } from "./sandbox";

const client = { ip: "203.0.113.50", userAgent: "vitest" };

afterAll(() => db().$disconnect());

describe("throwaway accounts", () => {
  it("go a day after they were made, with the next one made", async () => {
    const old = await createSandboxAccount(client, null);
    const recent = await createSandboxAccount(client, null);
    if (!old.ok || !recent.ok) throw new Error("not made");
    const now = Date.now();
    await db().user.update({
      where: { email: old.value.email },
      data: { createdAt: new Date(now - SANDBOX_LIFETIME_MS - 60_000) },
    });
    await db().user.update({
      where: { email: recent.value.email },
      data: { createdAt: new Date(now - SANDBOX_LIFETIME_MS + 60_000) },
    });
    // A person's account that merely looks alike stays.
    const person = await db().user.create({ data: { email: `visitor-${now}@example.com`, passwordHash: "x" } });
    await db().user.update({ where: { id: person.id }, data: { createdAt: new Date(0) } });
    const next = await createSandboxAccount(client, null);
    expect(next.ok).toBe(true);
    expect(await db().user.count({ where: { email: old.value.email } })).toBe(0);
    expect(await db().user.count({ where: { email: recent.value.email } })).toBe(1);
    expect(await db().user.count({ where: { id: person.id } })).toBe(1);
  });
});
