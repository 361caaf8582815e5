import { test, expect } from "@playwright/test";
import { PASSWORD, registerUser } from "../helpers";
import { startTestResourceServer } from "../resource-server";

for (const [width, scheme] of [
  [1400, "light"],
  [390, "dark"],
  [390, "light"],
  [1400, "dark"],
] as const) {
  test(`shot ${width} ${scheme}`, async ({ page, request }) => {
    const server = await startTestResourceServer();
    try {
      await page.setViewportSize({ width, height: 900 });
      await page.emulateMedia({ colorScheme: scheme });
      const user = await registerUser(request);
      await page.goto("/dashboard");
      for (const column of ["session", "jwt"] as const) {
        const form = page.getByTestId(`${column}-signin`);
        await form.getByLabel("Email").fill(user.email);
        await form.getByLabel("Password").fill(PASSWORD);
        await form.getByRole("button", { name: /Sign in with/ }).click();
      }
      await expect(page.getByTestId("jwt-token")).toBeVisible();
      const panel = page.getByTestId("other-service");
      await panel.getByTestId(width === 390 ? "other-service-cookie" : "other-service-introspect").click();
      await expect(page.getByTestId("other-service-outcome")).toBeVisible();
      await panel.screenshot({ path: `artifacts/shot-other-${width}-${scheme}.png` });
      await page.goto("/docs");
      await page.getByTestId("seed-claims").screenshot({ path: `artifacts/shot-claims-${width}-${scheme}.png` });
    } finally {
      await server.stop();
    }
  });
}
