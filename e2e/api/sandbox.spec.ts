import { db } from "@/lib/db";
import { DEMO_USER } from "@/lib/showcase/demo";
import { expect, test } from "../fixtures";
import { SHORT_IDLE_PORT } from "../test-env";

test("a throwaway account is made for the visitor, and signs in both ways", async ({ request }) => {
  const made = await request.post("/api/sandbox");
  expect(made.status()).toBe(201);
  expect(made.headers()["cache-control"]).toBe("no-store");
  const account = (await made.json()) as { id: string; email: string; password: string; expires_at: string };
  expect(account.email).toMatch(/^visitor-[0-9a-f-]{36}@sandbox\.invalid$/);
  expect(account.password).toMatch(/^[\w-]{24}$/);
  const lifetime = Date.parse(account.expires_at) - Date.now();
  expect(lifetime).toBeGreaterThan(23.9 * 3600_000);
  expect(lifetime).toBeLessThanOrEqual(24 * 3600_000);
  // Stored like any account: a bcrypt hash, never the password.
  const row = await db().user.findUniqueOrThrow({ where: { email: account.email } });
  expect(row.id).toBe(account.id);
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

// On a shared server (demo controls off) the demo account may not sign
// everyone out; a throwaway account is the visitor's own, so it may.
test("on a shared server, a throwaway account may sign out everywhere, where the demo account may not", async ({
  playwright,
}) => {
  const shared = await playwright.request.newContext({ baseURL: `http://localhost:${SHORT_IDLE_PORT}` });
  try {
    const account = (await (await shared.post("/api/sandbox")).json()) as { email: string; password: string };
    expect((await shared.post("/api/session", { data: account })).status()).toBe(200);
    expect((await shared.delete("/api/devices")).status()).toBe(200);
    expect((await shared.get("/api/session")).status()).toBe(401);
    expect((await shared.post("/api/session", { data: DEMO_USER })).status()).toBe(200);
    const refused = await shared.delete("/api/devices");
    expect(refused.status()).toBe(403);
    expect((await refused.json()).error_description).toContain("shared by every visitor");
  } finally {
    await shared.dispose();
  }
});
