import { randomUUID } from "node:crypto";
import { expect, test } from "../fixtures";

const uniqueEmail = () => `api-${randomUUID()}@example.com`;

test.describe("POST /api/auth/register", () => {
  test("creates an account: 201 {id, email} with the email normalised", async ({ request }) => {
    const email = uniqueEmail();
    const response = await request.post("/api/auth/register", {
      data: { email: `  ${email.toUpperCase()} `, password: "correct horse" },
    });
    expect(response.status()).toBe(201);
    expect(response.headers()["cache-control"]).toBe("no-store");
    const body = await response.json();
    expect(body).toEqual({ id: expect.any(String), email });
  });

  test("409 when the email is taken, in any case", async ({ request }) => {
    const email = uniqueEmail();
    expect((await request.post("/api/auth/register", { data: { email, password: "password one" } })).status()).toBe(
      201,
    );
    const again = await request.post("/api/auth/register", {
      data: { email: email.toUpperCase(), password: "password two" },
    });
    expect(again.status()).toBe(409);
    expect(await again.json()).toMatchObject({ error: "email_taken", fields: { email: expect.any(String) } });
  });

  const badFields: [string, Record<string, unknown>, string[]][] = [
    ["no fields", {}, ["email", "password"]],
    ["missing email", { password: "long enough" }, ["email"]],
    ["missing password", { email: "a@example.com" }, ["password"]],
    ["email not a string", { email: 42, password: "long enough" }, ["email"]],
    ["password not a string", { email: "a@example.com", password: { $gt: "" } }, ["password"]],
    ["email without @", { email: "not-an-email", password: "long enough" }, ["email"]],
    ["email too long", { email: `${"a".repeat(250)}@example.com`, password: "long enough" }, ["email"]],
    ["password of 7 bytes", { email: "a@example.com", password: "1234567" }, ["password"]],
    ["password of 73 bytes", { email: "a@example.com", password: "x".repeat(73) }, ["password"]],
    ["password of 74 bytes in accents", { email: "a@example.com", password: "é".repeat(37) }, ["password"]],
  ];
  for (const [name, data, fields] of badFields) {
    test(`400 with field messages: ${name}`, async ({ request }) => {
      const response = await request.post("/api/auth/register", { data });
      expect(response.status()).toBe(400);
      const body = await response.json();
      expect(body.error).toBe("invalid_request");
      expect(Object.keys(body.fields).sort()).toEqual([...fields].sort());
    });
  }

  test("72-byte passwords are accepted, 73 refused with the reason", async ({ request }) => {
    const ok = await request.post("/api/auth/register", { data: { email: uniqueEmail(), password: "é".repeat(36) } });
    expect(ok.status()).toBe(201);
    const tooLong = await request.post("/api/auth/register", {
      data: { email: uniqueEmail(), password: "é".repeat(36) + "!" },
    });
    expect((await tooLong.json()).fields.password).toContain("at most 72 bytes");
  });

  const malformed: [string, string, number][] = [
    ["truncated JSON", '{"email":', 400],
    ["JSON array", "[1,2]", 400],
    ["JSON null", "null", 400],
    ["JSON string", '"hello"', 400],
    ["empty body", "", 400],
  ];
  for (const [name, body, status] of malformed) {
    test(`${status} for ${name}`, async ({ request }) => {
      const response = await request.post("/api/auth/register", {
        headers: { "content-type": "application/json" },
        data: body,
      });
      expect(response.status()).toBe(status);
      expect((await response.json()).error).toBe("invalid_request");
    });
  }

  test("415 for a form-encoded body", async ({ request }) => {
    const response = await request.post("/api/auth/register", {
      form: { email: uniqueEmail(), password: "long enough" },
    });
    expect(response.status()).toBe(415);
  });

  test("413 for a huge body, and nothing is created", async ({ request }) => {
    const email = uniqueEmail();
    const response = await request.post("/api/auth/register", {
      data: { email, password: "long enough", padding: "x".repeat(2 * 1024 * 1024) },
    });
    expect(response.status()).toBe(413);
    const retry = await request.post("/api/auth/register", { data: { email, password: "long enough" } });
    expect(retry.status()).toBe(201);
  });

  test("other methods are refused", async ({ request }) => {
    expect((await request.get("/api/auth/register")).status()).toBe(405);
  });
});
