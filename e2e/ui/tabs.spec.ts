// The dashboard's token client in several tabs of one browser: they share
// the refresh cookie, so uncoordinated refreshes would race (each race a
// spent token shown again). With 5-second access tokens for 30 seconds,
// every tab keeps a working token, one tab refreshes per expiry, and the
// family is never revoked.
import { decodeJwt } from "jose";
import { db } from "@/lib/db";
import { expect, openTabs, signInBrowser, test } from "../fixtures";
import { SHORT_IDLE_PORT } from "../test-env";

// The second test server: 5-second access tokens, on the shared database.
const baseURL = `http://localhost:${SHORT_IDLE_PORT}`;

test("five tabs, 5-second tokens, 30 seconds: every tab keeps a working token, one refresh per expiry, never signed out", async ({
  browser,
  account: user,
}) => {
  test.setTimeout(120_000);
  const context = await browser.newContext({ baseURL });
  await signInBrowser(context, user, { session: false, baseURL });
  // One tab after another, as a person opens them: the later ones get the
  // first one's token over the tabs' channel.
  const tabs = await openTabs(context, 5, "/dashboard");
  for (const tab of tabs) await expect(tab.getByTestId("jwt-token")).toBeVisible();
  const familyId = (await tabs[0]!.getByTestId("claim-sid").textContent())!;
  const startedAt = new Date();
  // The point of the test: real time passing, six token lifetimes of it,
  // while the tabs' own timers refresh against the server's real expiry.
  await tabs[0]!.waitForTimeout(30_000);
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

// The dashboard's experiment: five hidden tabs (credentialless iframes, a
// cookie jar of their own) whose refresh timers fire together four times,
// in three modes; the server's counts decide each verdict.
test("the several-tabs experiment: on their own the tabs are signed out (at the first race without a grace window, within a few rounds with it); under a Web Lock one refresh per round and nobody signed out; the dashboard's own refresh cookie untouched", async ({
  tokenPage: page,
  tokens,
}) => {
  test.setTimeout(90_000);
  const own = await db().refreshFamily.findUniqueOrThrow({
    where: { id: decodeJwt(tokens.accessToken).sid as string },
    include: { tokens: true },
  });
  const encoded = async () =>
    /eyJ[\w-]+\.[\w-]+\.[\w-]+/.exec((await page.getByTestId("jwt-token").textContent()) ?? "")?.[0];
  const ownToken = await encoded();
  expect(ownToken).toBeTruthy();
  const startedAt = new Date();

  const card = page.getByTestId("scenario-several-tabs");
  await card.getByRole("button", { name: "Run" }).click();
  await expect(card.getByRole("status")).toContainText(/round \d of 4/, { timeout: 30_000 });
  const checks = card.getByTestId("scenario-check");
  await expect(checks).toHaveCount(3, { timeout: 60_000 });
  for (const check of await checks.all()) {
    await expect(check, (await check.textContent()) ?? "").toHaveAttribute("data-pass", "true");
  }
  const [strict, grace, locks] = await Promise.all((await checks.all()).map((check) => check.textContent()));
  // Without coordination, a tab whose request leaves after another's answer
  // came back sends the new cookie and rotates it again: how many requests
  // race in a round depends on timing. What does not: revoked at the first
  // race without a grace window; some races forgiven with it, and revoked
  // all the same; never under the lock.
  expect(strict).toMatch(
    /round 1: 5 requests, [12] rotations?, 0 answered again, [0-4] of 5 tabs signed in, family revoked \(reuse_detected\)/,
  );
  expect(grace).toMatch(/round 1: 5 requests, [12] rotations?, [1-4] answered again, [1-5] of 5 tabs signed in/);
  expect(grace).toContain("family revoked (reuse_detected)");
  expect(locks).toContain("opening 4 more tabs: 0 refresh requests");
  for (const round of [1, 2, 3, 4])
    expect(locks).toMatch(
      new RegExp(`round ${round}: 1 request, 1 rotation, 0 answered again, 5 of 5 tabs signed in;`),
    );
  expect(locks).toContain(
    "one more refresh afterwards: 1 request, 1 rotation, 0 answered again, 5 of 5 tabs signed in",
  );
  expect(strict).toContain(
    "one more refresh afterwards: 0 requests, 0 rotations, 0 answered again, 0 of 5 tabs signed in",
  );
  const table = card.getByTestId("scenario-comparison");
  const row = (measure: string) =>
    table
      .getByRole("row")
      .filter({ has: page.getByRole("rowheader", { name: measure }) })
      .getByRole("cell");
  await expect(row("Family revoked")).toHaveText(["in round 1", /in round [1-4]/, "never"]);
  await expect(row("Tabs signed in after one more refresh")).toHaveText(["0 of 5", "0 of 5", "5 of 5"]);
  await expect(row("Refresh requests in 4 rounds")).toHaveText([/\d+/, /\d+/, "4"]);

  // The throwaway account is gone, with everything signed in with it.
  expect(
    await db().user.count({ where: { email: { startsWith: "several-tabs." }, createdAt: { gte: startedAt } } }),
  ).toBe(0);
  // The page's own token was never replaced by a hidden tab's (their lock
  // and channel are not the page's), and its family was never used by
  // them: one refresh now rotates it from where it was.
  expect(await encoded()).toBe(ownToken);
  await page.getByTestId("jwt-refresh").click();
  await expect(page.getByTestId("jwt-verdict")).toContainText("Refreshed");
  const after = await db().refreshFamily.findUniqueOrThrow({ where: { id: own.id }, include: { tokens: true } });
  expect(after.revokedAt).toBeNull();
  expect(after.tokens).toHaveLength(own.tokens.length + 1);
});
