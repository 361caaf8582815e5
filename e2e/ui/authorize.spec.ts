// The code flow as a person clicks it: a native client opens /authorize in
// the browser, the person signs in on the login page, and the browser lands
// on the client's loopback redirect with the code (RFC 8252 §7.3). The
// "client" here is a listener of the test's own on a loopback port. Coming
// back from the login page, the person is asked before the code is sent.
import { authorizePath, pkcePair } from "../oauth";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "../fixtures";

test("signed out, /authorize goes through the login page and lands on the client's loopback redirect with a code", async ({
  page,
  account,
  request,
}) => {
  const arrived: URL[] = [];
  const listener = http.createServer((incoming, response) => {
    arrived.push(new URL(incoming.url ?? "/", "http://127.0.0.1"));
    response.writeHead(200, { "content-type": "text/plain" }).end("You can close this tab.");
  });
  await new Promise<void>((resolve) => listener.listen(0, "127.0.0.1", resolve));
  const redirectUri = `http://127.0.0.1:${(listener.address() as AddressInfo).port}/callback`;
  try {
    const { verifier, challenge } = pkcePair();
    await page.goto(authorizePath(redirectUri, challenge, { state: "from-the-cli" }));
    await expect(page).toHaveURL(/\/login\?next=/);
    await page.getByLabel("Email").fill(account.email);
    await page.getByLabel("Password").fill(account.password);
    await page.getByRole("button", { name: "Sign in with a session" }).click();
    // Back from the login page, a page sent it here: the person is asked.
    await expect(page.getByRole("heading", { name: "Sign in the command-line client?" })).toBeVisible();
    await expect(page.getByTestId("authorize-email")).toHaveText(account.email);
    expect(arrived.filter((url) => url.pathname === "/callback")).toEqual([]);
    await page.getByRole("button", { name: "Continue" }).click();
    await expect(page.getByText("You can close this tab.")).toBeVisible();
    // One code, though Next's router fetched /authorize before navigating
    // to it (the browser also asks the port for a favicon).
    const callbacks = arrived.filter((url) => url.pathname === "/callback");
    expect(callbacks).toHaveLength(1);
    const back = callbacks[0]!;
    expect(back.searchParams.get("state")).toBe("from-the-cli");

    const tokens = await request.post("/api/auth/token", {
      form: {
        grant_type: "authorization_code",
        client_id: "cli",
        redirect_uri: redirectUri,
        code: back.searchParams.get("code")!,
        code_verifier: verifier,
      },
    });
    expect(tokens.status()).toBe(200);
  } finally {
    listener.close();
  }
});
