import { test, expect } from "@playwright/test";
import { db } from "@/lib/db";

test("a throwaway account is made for the visitor, and signs in both ways", async ({ request }) => {
  const made = await request.post("/api/sandbox");
  expect(made.status()).toBe(201);
  expect(made.headers()["cache-control"]).toBe("no-store");
  const account = (await made.json()) as { email: string; password: string; expires_at: string };
  expect(account.email).toMatch(/^visitor-[0-9a-f-]{36}@sandbox\.invalid$/);
  expect(account.password).toMatch(/^[\w-]{24}$/);
  const lifetime = Date.parse(account.expires_at) - Date.now();
  expect(lifetime).toBeGreaterThan(23.9 * 3600_000);
  expect(lifetime).toBeLessThanOrEqual(24 * 3600_000);
  // Stored like any account: a bcrypt hash, never the password.
  const row = await db().user.findUniqueOrThrow({ where: { email: account.email } });
  expect(row.passwordHash).toMatch(/^\$2[ab]\$/);
  expect(row.passwordHash).not.toContain(account.password);

  const credentials = { email: account.email, password: account.password };
  expect((await request.post("/api/auth/token", { data: credentials })).status()).toBe(200);
  const session = await request.post("/api/session", { data: credentials });
  expect(session.status()).toBe(200);
  expect((await (await request.get("/api/session")).json()).user.email).toBe(account.email);
  // Nobody registers into the sandbox's domain.
  const register = await request.post("/api/auth/register", {
    data: { email: `visitor-x@sandbox.invalid`, password: "a long enough password" },
  });
  expect(register.status()).toBe(400);
});

test("another site cannot make one with the visitor's browser", async ({ request }) => {
  const refused = await request.post("/api/sandbox", { headers: { origin: "https://evil.example" } });
  expect(refused.status()).toBe(403);
  expect(await refused.json()).toMatchObject({ error: "cross_site_request" });
  const fetched = await request.post("/api/sandbox", { headers: { "sec-fetch-site": "cross-site" } });
  expect(fetched.status()).toBe(403);
});
