import { expect, test } from "../fixtures";

// The benchmark's baseline and a load balancer's liveness probe: no
// credential, never cached, same JSON plumbing as the protected routes.
test("GET /api/health answers 200 without a credential and is not cached", async ({ request }) => {
  const response = await request.get("/api/health");
  expect(response.status()).toBe(200);
  expect(response.headers()["cache-control"]).toBe("no-store");
  expect(response.headers()["content-type"]).toContain("application/json");
  const body = await response.json();
  expect(body).toMatchObject({ status: "ok", pid: expect.any(Number), uptime_s: expect.any(Number) });
  expect(Date.parse(body.time)).not.toBeNaN();
});
