import { exportSPKI, importJWK, type JWK } from "jose";
import { expect, test } from "../fixtures";
import { resourceServer } from "../resource-server";

// Each forged token, and what each server answers: this app names the check
// that refused it; the other service (jose, with the keys it discovered)
// says it in its own words.
const ANSWERS: [id: string, app: string, otherService: string][] = [
  ["claim-edit", "The token's signature does not verify.", "The token's signature does not verify."],
  ["alg-none", `The token's algorithm "none" is not allowed.`, "The token's algorithm is not allowed."],
  ["hs256-public-key", `The token's algorithm "HS256" is not allowed.`, "The token's algorithm is not allowed."],
  [
    "foreign-kid",
    "The token was signed by a key this server does not know.",
    "The token was signed by a key the issuer does not publish.",
  ],
  [
    "jku",
    `The token names its own key ("jku"); only this server's keys are used.`,
    "The token was signed by a key the issuer does not publish.",
  ],
  [
    "jwk",
    `The token names its own key ("jwk"); only this server's keys are used.`,
    "The token was signed by a key the issuer does not publish.",
  ],
  ["expired", "The access token expired.", "The access token expired."],
  ["wrong-audience", "The token is not meant for this API.", `The token's "aud" is not accepted here.`],
  ["wrong-type", `The token's type is not "at+jwt".`, `The token's "typ" is not accepted here.`],
];

// What each forgery's header says (the payload is the page's own claims).
const HEADERS: Record<string, RegExp> = {
  "claim-edit": /"alg": "ES256"[\s\S]*"typ": "at\+jwt"/,
  "alg-none": /"alg": "none"/,
  "hs256-public-key": /"alg": "HS256"/,
  "foreign-kid": /"kid": "attacker-key"/,
  jku: /"jku": "https:\/\/attacker\.invalid\/jwks\.json"/,
  jwk: /"jwk": \{[^}]*"kty": "EC"/,
  expired: /"typ": "at\+jwt"/,
  "wrong-audience": /"typ": "at\+jwt"/,
  "wrong-type": /"typ": "JWT"/,
};

test("every forged token is refused by this app and by the other service, each with its reason", async ({
  tokenPage: page,
}) => {
  await resourceServer();
  const workbench = page.getByTestId("workbench");
  for (const [id, app, otherService] of ANSWERS) {
    await workbench.getByTestId(`workbench-attack-${id}`).click();
    const sent = workbench.getByTestId("workbench-sent").first();
    const title = await workbench.getByTestId(`workbench-attack-${id}`).textContent();
    await expect(sent).toHaveAttribute("data-what", title!);
    // Focus goes to what the servers answered.
    await expect(sent).toBeFocused();
    await expect(sent.locator('[data-target="app"]')).toHaveAttribute("data-status", "401");
    await expect(sent.locator('[data-target="app"]')).toContainText(app);
    await expect(sent.locator('[data-target="other-service"]')).toHaveAttribute("data-status", "401");
    await expect(sent.locator('[data-target="other-service"]')).toContainText(otherService);
    // The forged token is in the editor, its header showing the forgery.
    await expect(workbench.getByTestId("workbench-header")).toHaveValue(HEADERS[id]!);
  }
  await expect(page.getByTestId("request-log-row").first()).toHaveAttribute("data-status", "401");
  // Its own token is untouched: still accepted.
  await page.getByTestId("jwt-call-me").click();
  await expect(page.getByTestId("jwt-verdict")).toContainText("GET /api/me: 200");
});

test("a token is read, checked against the JWKS or a pasted key, edited, and shared without its signature", async ({
  tokenPage: page,
  account: user,
  request,
}) => {
  const workbench = page.getByTestId("workbench");
  await workbench.getByTestId("workbench-use-current").click();
  const token = await workbench.getByTestId("workbench-input").inputValue();
  await expect(workbench.getByTestId("workbench-warning")).toContainText("Encoded, not encrypted");
  await expect(workbench.getByTestId("workbench-warning")).toContainText(user.email);
  await expect(workbench.getByTestId("workbench-payload")).toHaveValue(new RegExp(`"email": "${user.email}"`));

  await workbench.getByTestId("workbench-verify-jwks").click();
  await expect(workbench.getByTestId("workbench-signature")).toHaveAttribute("data-valid", "true");
  await expect(workbench.getByTestId("workbench-signature")).toContainText("verifies with this server's JWKS (ES256");

  // The server's key as PEM, pasted as someone else's service would have it.
  const kid = JSON.parse(Buffer.from(token.split(".")[0]!, "base64url").toString()).kid as string;
  const { keys } = (await (await request.get("/.well-known/jwks.json")).json()) as { keys: JWK[] };
  const jwk = keys.find((key) => key.kid === kid)!;
  const pem = await exportSPKI((await importJWK(jwk, jwk.alg)) as CryptoKey);
  await workbench.getByTestId("workbench-key").fill(pem);
  await workbench.getByTestId("workbench-verify-key").click();
  await expect(workbench.getByTestId("workbench-signature")).toContainText("verifies with the pasted key");

  // Edit a claim and re-encode: the old signature no longer verifies, and
  // the server refuses it.
  const payload = await workbench.getByTestId("workbench-payload").inputValue();
  await workbench.getByTestId("workbench-payload").fill(payload.replace(/"sub": "[^"]+"/, '"sub": "admin"'));
  await workbench.getByTestId("workbench-reencode").click();
  const edited = await workbench.getByTestId("workbench-input").inputValue();
  expect(edited).not.toBe(token);
  expect(edited.split(".")[2]).toBe(token.split(".")[2]);
  await workbench.getByTestId("workbench-verify-jwks").click();
  await expect(workbench.getByTestId("workbench-signature")).toHaveAttribute("data-valid", "false");
  await expect(workbench.getByTestId("workbench-signature")).toContainText("ERR_JWS_SIGNATURE_VERIFICATION_FAILED");
  await workbench.getByTestId("workbench-send").click();
  await expect(workbench.getByTestId("workbench-sent").first().locator('[data-target="app"]')).toContainText(
    "The token's signature does not verify.",
  );

  // The link holds the header and payload, never the signature.
  const href = (await workbench.getByTestId("workbench-share").getAttribute("href"))!;
  expect(href).toMatch(/^#workbench=/);
  const linked = JSON.parse(Buffer.from(href.slice("#workbench=".length), "base64url").toString());
  expect(Object.keys(linked)).toEqual(["header", "payload"]);
  expect(href).not.toContain(token.split(".")[2]);
  // Followed within the page, it opens as it would elsewhere.
  await workbench.getByTestId("workbench-share").click();
  await expect(workbench.getByTestId("workbench-shared")).toBeVisible();
  expect(await workbench.getByTestId("workbench-input").inputValue()).toMatch(/\.$/);
  const other = await page.context().newPage();
  await other.goto(`/dashboard${href}`);
  const opened = other.getByTestId("workbench");
  await expect(opened.getByTestId("workbench-shared")).toBeVisible();
  await expect(opened.getByTestId("workbench-payload")).toHaveValue(/"sub": "admin"/);
  expect(await opened.getByTestId("workbench-input").inputValue()).toMatch(/\.$/);
  await expect(opened.getByTestId("workbench-warning")).toContainText(user.email);
});

test("a pasted token that is not a JWT is said so, a crafted link is ignored, and forging waits for a sign-in", async ({
  page,
}) => {
  // "null", base64url-encoded: not a view, and no reason to break the page.
  await page.goto("/dashboard#workbench=bnVsbA");
  const workbench = page.getByTestId("workbench");
  await expect(workbench.getByTestId("workbench-input")).toHaveValue("");
  await expect(workbench.getByTestId("workbench-attack-alg-none")).toBeDisabled();
  await workbench.getByTestId("workbench-input").fill("not.a-token");
  await expect(workbench.getByTestId("workbench-input")).toHaveAttribute("aria-invalid", "true");
  await expect(workbench.getByTestId("workbench-input")).toHaveAccessibleDescription(/^Not a JWT/);
});
