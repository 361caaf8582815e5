import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";

test.describe("/register", () => {
  test("a person registers and sees the success state", async ({ page }) => {
    const email = `ui-${randomUUID()}@example.com`;
    await page.goto("/register");
    await expect(page.getByRole("heading", { name: "Create an account" })).toBeVisible();
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("a good password");
    await expect(page.getByText("15 / 72 bytes.")).toBeVisible();
    await page.getByRole("button", { name: "Create account" }).click();
    const success = page.getByTestId("register-success");
    await expect(success).toContainText("Account created");
    await expect(success).toContainText(email);
  });

  test("a bad form shows messages tied to the fields", async ({ page }) => {
    await page.goto("/register");
    await page.getByLabel("Email").fill("not an email");
    await page.getByLabel("Password").fill("short");
    await page.getByRole("button", { name: "Create account" }).click();
    const email = page.getByLabel("Email");
    await expect(email).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByTestId("email-error")).toHaveText("Enter an email address like name@example.com.");
    await expect(page.getByTestId("password-error")).toHaveText("Use at least 8 bytes (8 plain letters or digits).");
    await expect(page.getByLabel("Password")).toHaveAttribute("aria-invalid", "true");
    await expect(email).toHaveValue("not an email");
  });

  test("a taken email is reported on the email field", async ({ page }) => {
    await page.goto("/register");
    await page.getByLabel("Email").fill("demo@example.com");
    await page.getByLabel("Password").fill("whatever it is");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByTestId("email-error")).toContainText("already exists");
  });

  test("shows the seeded demo account", async ({ page }) => {
    await page.goto("/register");
    await expect(page.getByTestId("demo-email")).toHaveText("demo@example.com");
    await expect(page.getByTestId("demo-password")).toHaveText("demo-password");
  });
});

test.describe("/register without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the form still registers and still shows errors", async ({ page }) => {
    await page.goto("/register");
    await page.getByLabel("Email").fill("nope");
    await page.getByLabel("Password").fill("long enough");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByTestId("email-error")).toHaveText("Enter an email address like name@example.com.");

    const email = `nojs-${randomUUID()}@example.com`;
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("long enough");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByTestId("register-success")).toContainText(email);
  });
});
