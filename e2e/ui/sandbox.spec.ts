import { decodeJwt } from "jose";
import { db } from "@/lib/db";
import { DEMO_USER } from "@/lib/showcase/demo";
import { expect, signInBrowser, test } from "../fixtures";

test("made while signed in as the demo account, the header names the new account", async ({ page }) => {
  await signInBrowser(page.context(), DEMO_USER, { token: false });
  await page.goto("/dashboard");
  await expect(page.getByRole("banner").getByTestId("signed-in-as")).toHaveText("demo@example.com");
  await page.getByTestId("sandbox-create").click();
  await expect(page.getByTestId("sandbox-signins")).toContainText("Session: signed in");
  await expect(page.getByRole("banner").getByTestId("signed-in-as")).toHaveText(/^visitor-.*@sandbox\.invalid$/);
});

test("one click makes a throwaway account of the visitor's own and signs in with it both ways", async ({ page }) => {
  await page.goto("/dashboard");
  const sandbox = page.getByTestId("sandbox");
  await sandbox.getByTestId("sandbox-create").click();
  await expect(sandbox.getByTestId("sandbox-signins")).toHaveText("Session: signed in · JWT: signed in");
  const email = (await sandbox.getByTestId("sandbox-account").locator(".font-mono").first().textContent())!;
  expect(email).toMatch(/^visitor-.*@sandbox\.invalid$/);
  await expect(sandbox.getByTestId("sandbox-password")).toHaveText(/^[\w-]{24}$/);

  // Both columns, and the header, are this account's.
  await expect(page.getByTestId("session-user")).toHaveText(email);
  await expect(page.getByTestId("jwt-token")).toBeVisible();
  const token = (await page.getByTestId("jwt-encoded").textContent())!.replace(/\s/g, "");
  expect(decodeJwt(token).email).toBe(email);
  await expect(page.getByRole("banner").getByTestId("signed-in-as")).toHaveText(email);
  const user = await db().user.findUniqueOrThrow({
    where: { email },
    include: { sessions: true, refreshFamilies: true },
  });
  expect(user.sessions).toHaveLength(1);
  expect(user.refreshFamilies).toHaveLength(1);
  // Focus went to the account, where the button was.
  await expect(sandbox.getByTestId("sandbox-account")).toBeFocused();
});
