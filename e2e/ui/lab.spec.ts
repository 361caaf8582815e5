import { expect, test } from "../fixtures";

// The strategies lab in Chromium: "Run the lab" on a throwaway account,
// with what page script can read measured in this page, and every cell of
// the answered table filled from a step of the run.
test("running the lab fills every cell from a measured step, and the timeline", async ({ page }) => {
  await page.goto("/lab");
  await page.getByTestId("run-lab").click();
  await expect(page.getByTestId("lab-steps-live")).toContainText("Making a throwaway account");
  // Seven strategies, then a 6-second revocation watch on the test servers.
  await expect(page.getByTestId("run-lab")).toHaveText("Run the lab", { timeout: 60_000 });
  await expect(page.getByTestId("lab-failed")).toHaveCount(0);
  const table = page.getByTestId("lab-table");
  await expect(table.getByRole("columnheader")).toHaveCount(2 + 7);
  const cells = table.getByTestId("lab-cell");
  // Nine rows, seven strategies.
  await expect(cells).toHaveCount(9 * 7);
  const steps = page.getByTestId("lab-steps").locator("li");
  const stepCount = await steps.count();
  for (const cell of await cells.all()) {
    const link = cell.getByRole("link");
    await expect(link).not.toHaveText(/—|not measured/);
    const href = (await link.getAttribute("href"))!;
    const step = Number(/^#lab-step-(\d+)$/.exec(href)![1]);
    expect(step).toBeLessThan(stepCount);
  }
  // What this page's script found: the cookies hidden, the header tokens in hand.
  const xss = table.getByTestId("lab-row-xss");
  await expect(xss.getByTestId("lab-cell").nth(0)).toHaveText("hidden from script");
  await expect(xss.getByTestId("lab-cell").nth(4)).toHaveText("read, replayed: 200");
  // A cell leads to the step that measured it.
  const revocation = table.getByTestId("lab-row-revocation").getByTestId("lab-cell").nth(0);
  await expect(revocation).toHaveText("next request");
  await revocation.getByRole("link").click();
  await expect(page.locator("li:target")).toContainText(
    "server-session: a copy replayed every 250 ms after revocation",
  );

  const timeline = page.getByTestId("revocation-timeline");
  await expect(timeline.getByRole("list", { name: "Measured in this run" }).getByRole("listitem")).toHaveCount(7);
  await expect(timeline.getByRole("list", { name: "Documented defaults" })).toContainText("Better Auth");

  // The next visitor sees this run as the last one on the server.
  await page.reload();
  await expect(page.getByTestId("lab-table").getByTestId("lab-cell")).toHaveCount(9 * 7);
});

test("the size row: this browser's own cookie limit, measured by the page, and where each credential stops fitting", async ({
  page,
}) => {
  await page.goto("/lab");
  await page.getByTestId("run-lab").click();
  await expect(page.getByTestId("run-lab")).toHaveText("Run the lab", { timeout: 60_000 });
  await expect(page.getByTestId("browser-cookie-limit")).toContainText(
    "This browser keeps one cookie of at most 4,096 bytes",
  );
  const size = page.getByTestId("lab-table").getByTestId("lab-row-size").getByTestId("lab-cell");
  await expect(size.nth(0)).toHaveText("none: it names server state");
  // 2,048 bytes of claims seal into a cookie a browser keeps; 3,072 would not, and are not set.
  await expect(size.nth(1)).toHaveText("up to 2,048 B; at 3,072 B: not issued");
  // A token of 3,072 bytes of claims is over this app's 4,096 characters.
  await expect(size.nth(4)).toHaveText("up to 2,048 B; at 3,072 B: refused by the check");
});
