// The dashboard's token client in several tabs of one browser: they share
// the refresh cookie, so uncoordinated refreshes would race (each race a
// spent token shown again). With 5-second access tokens for 30 seconds,
// every tab keeps a working token, one tab refreshes per expiry, and the
// family is never revoked.
import { expect, test } from "@playwright/test";
import { db } from "@/lib/db";
import type { Instance } from "@/scripts/instances";
import { ownServer } from "../own-server";
import { databaseUrl } from "../test-env";
import { registerUser, signInOnDashboard } from "../helpers";

let server: Instance;
test.beforeAll(async () => {
  // On the shared test database, so this test can read the family's rows.
  server = await ownServer(
    "five-second-tokens",
    15,
    { ACCESS_TOKEN_TTL: "5s", DATABASE_URL: databaseUrl },
    { keepDatabase: true },
  );
});
test.afterAll(async () => {
  await server?.stop();
});

test("five tabs, 5-second tokens, 30 seconds: every tab keeps a working token, one refresh per expiry, never signed out", async ({
  browser,
  playwright,
}) => {
  test.setTimeout(120_000);
  const api = await playwright.request.newContext({ baseURL: server.url });
  const user = await registerUser(api);
  await api.dispose();
  const context = await browser.newContext({ baseURL: server.url });
  const first = await context.newPage();
  await first.goto("/dashboard");
  await signInOnDashboard(first, "jwt", user.email);
  await expect(first.getByTestId("jwt-token")).toBeVisible();
  const tabs = [first];
  for (let i = 1; i < 5; i++) {
    const tab = await context.newPage();
    await tab.goto("/dashboard");
    await expect(tab.getByTestId("jwt-token")).toBeVisible();
    tabs.push(tab);
  }
  const familyId = (await db().refreshFamily.findFirstOrThrow({ where: { userId: user.id } })).id;
  const startedAt = new Date();
  await first.waitForTimeout(30_000);

  for (const [index, tab] of tabs.entries()) {
    await tab.getByTestId("jwt-call-me").click();
    await expect(tab.getByTestId("jwt-verdict"), `tab ${index + 1}`).toContainText("200");
  }
  const family = await db().refreshFamily.findUniqueOrThrow({ where: { id: familyId } });
  expect(family.revokedAt).toBeNull();
  const refreshes = await db().authEvent.findMany({
    where: { userId: user.id, type: "token.refreshed", createdAt: { gte: startedAt } },
  });
  // A 5 s token is refreshed 1 s early: about 7 or 8 expiries in 30 s. Five
  // tabs each refreshing would make about 38, and races would show as replays.
  expect(refreshes.length).toBeGreaterThanOrEqual(6);
  expect(refreshes.length).toBeLessThanOrEqual(10);
  expect(refreshes.filter((event) => (event.detail ?? "").includes('"replayed":true'))).toHaveLength(0);
  await context.close();
});
