import { expect, signInBrowser, test } from "../fixtures";
import { actionId } from "../helpers";
import { origin as app } from "../test-env";

// A real browser, signed in on the app, visits an attacker's page served from
// another origin: another port of the same host (same site: SameSite=Lax
// still sends the cookie, so only the Origin / Sec-Fetch-Site check stands
// between it and the app) and another host name (cross-site: the cookie is
// not even sent).

// Three ways a page can make a browser send a request with its cookies: a
// form post to a server action (Next's no-JavaScript form: the action id in
// a field), a form post to a cookie route, and fetch with credentials.
function attackerPage(target: string): string {
  return `<!doctype html><html><body>
<form id="action" method="POST" action="${target}/account/devices" enctype="multipart/form-data"><input type="hidden" name="$ACTION_ID_${actionId("signOutEverywhereAction")}" value=""><input type="hidden" name="confirm" value="yes"></form>
<form id="route" method="POST" action="${target}/api/scenarios/stolen-replay"></form>
<script>
window.attack = async () => {
  const results = {};
  for (const [name, path, init] of [
    ["DELETE /api/sessions", "/api/sessions", { method: "DELETE" }],
    ["POST /api/scenarios/csrf", "/api/scenarios/csrf", { method: "POST" }],
  ]) {
    try { results[name] = (await fetch("${target}" + path, { ...init, credentials: "include" })).status; }
    catch (error) { results[name] = "blocked: " + error.name; }
  }
  return results;
};
</script></body></html>`;
}

for (const [kind, host] of [
  ["same site (another port of localhost)", "localhost"],
  ["cross-site (another host name)", "127.0.0.1"],
] as const) {
  // A fresh account: had the defence failed, the attack would have signed
  // it out everywhere.
  test(`a page from another origin, ${kind}, cannot change state with the session cookie`, async ({
    page,
    context,
    newAccount,
    crossSite,
  }) => {
    await signInBrowser(context, newAccount, { token: false });
    const sessionBefore = (await (await page.request.get(`${app}/api/session`)).json()).session.id;

    const attacker = await crossSite.serve(attackerPage(app));
    const evil = await context.newPage();
    const seen: string[] = [];
    evil.on("response", (response) => {
      if (response.url().startsWith(app))
        seen.push(`${response.request().method()} ${new URL(response.url()).pathname} ${response.status()}`);
    });
    await evil.goto(attacker.url(host));
    // fetch: the answer is unreadable without CORS, but whatever reached the app was answered (below).
    await evil.evaluate(() => (window as unknown as { attack: () => Promise<unknown> }).attack());
    // Form posts navigate, so their answers can be read.
    for (const form of ["#action", "#route"]) {
      await evil.goto(attacker.url(host));
      await Promise.all([
        evil.waitForURL((url) => url.origin === app),
        evil.locator(form).evaluate((element: HTMLFormElement) => element.submit()),
      ]);
      await expect(evil.locator("body")).toContainText("cross_site_request");
    }
    await evil.close();
    // Every request that reached the app was refused (preflighted ones never got past OPTIONS).
    const reached = seen.filter((line) => !line.startsWith("OPTIONS"));
    expect(reached.length).toBeGreaterThan(0);
    for (const line of reached) expect(line).toMatch(/ 403$/);
    // The session is untouched.
    const after = await page.request.get(`${app}/api/session`);
    expect(after.status()).toBe(200);
    expect((await after.json()).session.id).toBe(sessionBefore);
    await page.goto(`${app}/account`);
    await expect(page.getByTestId("account-email")).toHaveText(newAccount.email);
  });
}
