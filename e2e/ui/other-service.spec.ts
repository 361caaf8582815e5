// The dashboard's "Another service" panel calls the separate resource
// server straight from the page: with the access token it is accepted by a
// service that has no database; with the session cookie it is not.
import { expect, signInBrowser, test } from "../fixtures";
import { resourceServer } from "../resource-server";

let server: { url: string };
test.beforeAll(async () => {
  server = await resourceServer();
});

test("another service accepts the page's access token and refuses its session cookie, saying why", async ({
  page,
  account: user,
}) => {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  await signInBrowser(page.context(), user);
  await page.goto("/dashboard");
  await expect(page.getByTestId("jwt-token")).toBeVisible();
  await expect(page.getByTestId("session-record")).toBeVisible();
  const panel = page.getByTestId("other-service");
  await expect(panel.getByRole("link", { name: server.url.replace("127.0.0.1", "localhost") })).toBeVisible();
  const outcome = page.getByTestId("other-service-outcome");

  await panel.getByTestId("other-service-token").click();
  await expect(outcome).toContainText(`With the access token: 200, ${user.email} (jwks; its own check`);
  await panel.getByTestId("other-service-introspect").click();
  await expect(outcome).toContainText("200");
  await expect(outcome).toContainText("jwks+introspection");
  await panel.getByTestId("other-service-cookie").click();
  await expect(outcome).toContainText(
    "With the session cookie only: 401 invalid_token. This service cannot read sessions",
  );

  // The calls are in the request log, with the service's own check time.
  await expect(page.getByTestId("request-log")).toContainText(`${server.url.replace("127.0.0.1", "localhost")}/whoami`);
  expect(violations).toEqual([]);
});
