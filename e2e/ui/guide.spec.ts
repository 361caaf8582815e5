import { test, expect, type Page } from "@playwright/test";

async function answer(page: Page, answers: Record<string, string>) {
  const form = page.getByTestId("guide-form");
  for (const [question, option] of Object.entries(answers))
    await form.getByRole("group", { name: question }).getByRole("radio", { name: option }).check();
  await form.getByRole("button", { name: "Recommend" }).click();
}

test("the decision guide answers five questions without JavaScript, in a URL to share", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto("/docs");
  await expect(page.getByTestId("guide-result")).toHaveCount(0);
  await answer(page, {
    "What are you building?": "A site whose pages and API share one origin",
    "Must other services check who is calling, without asking you each time?": "Yes",
    "Will mobile apps, command-line tools or other non-browser clients sign in?": "No",
    "When someone signs out everywhere, or changes their password, how soon must their other devices be out?":
      "On the next request",
    "Can every instance reach one shared database or cache on every request?": "Yes",
  });
  await expect(page).toHaveURL(/\/docs\?app=site&services=yes&clients=no&revocation=next&store=yes#guide-result$/);
  const result = page.getByTestId("guide-result");
  await expect(result).toHaveAttribute("data-choice", "both");
  await expect(result.getByRole("heading", { level: 3 })).toHaveText(
    "Both: a session for your own pages, JWTs for everyone else",
  );
  // Built as the lab's designs: the backend-for-frontend first, for a site that calls other services.
  await expect(result.getByTestId("guide-designs").locator("li .font-mono")).toHaveText([
    "bff",
    "server-session",
    "bearer-jwt",
  ]);
  await expect(result.getByRole("link", { name: "lab's designs" })).toHaveAttribute("href", "/lab");
  await expect(result.getByTestId("guide-reason")).toHaveCount(6);
  await expect(result.getByRole("link", { name: "See it: 6. Key rotation, immediate and scheduled" })).toHaveAttribute(
    "href",
    "/dashboard#scenario-key-rotation",
  );
  // The answers stay chosen, to change one.
  await expect(page.getByRole("radio", { name: "On the next request" })).toBeChecked();
  await context.close();
});

test("each reason leads to the experiment that shows it", async ({ page }) => {
  await page.goto("/docs?app=api&services=yes&clients=yes&revocation=minutes&store=no");
  const result = page.getByTestId("guide-result");
  await expect(result).toHaveAttribute("data-choice", "jwt");
  await expect(result).toContainText("sign-in, refresh and revocation do");
  await result.getByRole("link", { name: /See it: .*Stolen credential, replayed/ }).click();
  await expect(page).toHaveURL(/\/dashboard#scenario-stolen-replay$/);
  await expect(page.getByTestId("scenario-stolen-replay")).toBeInViewport();
});

test("a half answer is no answer", async ({ page }) => {
  await page.goto("/docs?app=site&services=no");
  await expect(page.getByTestId("guide-result")).toHaveCount(0);
  await expect(page.getByRole("radio", { name: "A site whose pages and API share one origin" })).not.toBeChecked();
});
