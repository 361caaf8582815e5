// The dashboard's token client in several tabs of one browser: they share
// the refresh cookie, so uncoordinated refreshes would race (each race a
// spent token shown again). With 5-second access tokens for 30 seconds,
// every tab keeps a working token, one tab refreshes per expiry, and the
// family is never revoked.
import { expect, test } from "@playwright/test";
import { db } from "@/lib/db";
import { registerUser, signInOnDashboard } from "../helpers";
import { SHORT_IDLE_PORT } from "../test-env";

// The second test server: 5-second access tokens, on the shared database.
const baseURL = `http://localhost:${SHORT_IDLE_PORT}`;

test("five tabs, 5-second tokens, 30 seconds: every tab keeps a working token, one refresh per expiry, never signed out", async ({
  browser,
  playwright,
}) => {
  test.setTimeout(120_000);
  const api = await playwright.request.newContext({ baseURL });
  const user = await registerUser(api);
  await api.dispose();
  const context = await browser.newContext({ baseURL });
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
  const endedAt = new Date();

  for (const [index, tab] of tabs.entries()) {
    await tab.getByTestId("jwt-call-me").click();
    await expect(tab.getByTestId("jwt-verdict"), `tab ${index + 1}`).toContainText("200");
  }
  const family = await db().refreshFamily.findUniqueOrThrow({ where: { id: familyId } });
  expect(family.revokedAt).toBeNull();
  const refreshes = await db().authEvent.findMany({
    where: { userId: user.id, type: "token.refreshed", createdAt: { gte: startedAt, lte: endedAt } },
  });
  // A 5 s token (4–5 s with iat rounded down) is refreshed 1 s early: one
  // refresh every 3–4 s. Five tabs each refreshing would make five times as
  // many, and races would show as replays.
  const seconds = (endedAt.getTime() - startedAt.getTime()) / 1000;
  expect(refreshes.length).toBeGreaterThanOrEqual(Math.floor(seconds / 4) - 1);
  expect(refreshes.length).toBeLessThanOrEqual(Math.ceil(seconds / 3) + 1);
  expect(refreshes.filter((event) => (event.detail ?? "").includes('"replayed":true'))).toHaveLength(0);
  await context.close();
});
