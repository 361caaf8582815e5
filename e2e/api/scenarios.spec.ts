import { expect, test } from "@playwright/test";
import { PASSWORD, registerUser } from "../helpers";

test.describe("scenario runner", () => {
  test("needs a signed-in caller, a known scenario and our own origin", async ({ request }) => {
    expect((await request.post("/api/scenarios/csrf")).status()).toBe(401);
    const user = await registerUser(request);
    await request.post("/api/session", { data: { email: user.email, password: PASSWORD } });
    expect((await request.post("/api/scenarios/no-such-thing")).status()).toBe(404);
    expect((await request.post("/api/scenarios/csrf", { headers: { origin: "https://evil.example" } })).status()).toBe(403);
    const result = await (await request.post("/api/scenarios/csrf")).json();
    expect(result.checks.map((c: { pass: boolean }) => c.pass)).toEqual([true, true]);
  });

  test("an outage key the server did not arm changes nothing", async ({ request }) => {
    const user = await registerUser(request);
    await request.post("/api/session", { data: { email: user.email, password: PASSWORD } });
    const response = await request.get("/api/session", { headers: { "x-svj-simulated-outage": "guessed-key" } });
    expect(response.status()).toBe(200);
  });

  test("the database outage scenario fails the session closed and keeps JWTs serving", async ({ request }) => {
    const user = await registerUser(request);
    await request.post("/api/session", { data: { email: user.email, password: PASSWORD } });
    const token = (await (await request.post("/api/auth/token", { data: { email: user.email, password: PASSWORD } })).json()).access_token;
    const result = await (await request.post("/api/scenarios/db-down", { headers: { authorization: `Bearer ${token}` } })).json();
    expect(result.checks).toEqual([
      expect.objectContaining({ mechanism: "session", pass: true, observed: expect.stringMatching(/^503 .*afterwards 200$/) }),
      expect.objectContaining({ mechanism: "jwt", pass: true, observed: "200" }),
    ]);
  });
});
