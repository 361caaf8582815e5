// The authorization code flow with PKCE (RFC 6749 §4.1, RFC 7636), as a
// native client runs it: GET /authorize with the person's session, the code
// back at a loopback redirect (RFC 8252 §7.3), then a form post to the
// token endpoint. Over HTTP, with the session cookie of the worker's account.
import { randomBytes } from "node:crypto";
import type { APIRequestContext } from "@playwright/test";
import { expect, test } from "../fixtures";
import { pkcePair } from "../oauth";
import { origin } from "../test-env";

const REDIRECT = "http://127.0.0.1:53682/callback";
const ISSUER = origin;

function authorizeUrl(params: Record<string, string>): string {
  const query = new URLSearchParams({
    response_type: "code",
    client_id: "cli",
    redirect_uri: REDIRECT,
    code_challenge_method: "S256",
    ...params,
  });
  return `/authorize?${query}`;
}

// GET /authorize, not following the redirect: where it sends the browser.
async function authorize(api: APIRequestContext, params: Record<string, string>) {
  const answer = await api.get(authorizeUrl(params), { maxRedirects: 0 });
  return { status: answer.status(), location: answer.headers()["location"] ?? null, answer };
}

async function codeFor(api: APIRequestContext, challenge: string, state = randomBytes(8).toString("hex")) {
  const { status, location } = await authorize(api, { code_challenge: challenge, state });
  expect(status).toBe(302);
  const back = new URL(location!);
  expect(`${back.origin}${back.pathname}`).toBe(REDIRECT);
  expect(back.searchParams.get("state")).toBe(state);
  expect(back.searchParams.get("iss")).toBe(ISSUER);
  return back.searchParams.get("code")!;
}

function exchange(api: APIRequestContext, form: Record<string, string>) {
  return api.post("/api/auth/token", {
    form: { grant_type: "authorization_code", client_id: "cli", redirect_uri: REDIRECT, ...form },
  });
}

test("a signed-in person is sent straight back with a code, state and iss; the code and its verifier buy a token pair once", async ({
  sessionRequest,
  request,
  account,
}) => {
  const { verifier, challenge } = pkcePair();
  const { status, location, answer } = await authorize(sessionRequest, { code_challenge: challenge, state: "s-1" });
  expect(status).toBe(302);
  expect(answer.headers()["cache-control"]).toBe("no-store");
  expect(answer.headers()["referrer-policy"]).toBe("same-origin");
  const back = new URL(location!);
  expect([...back.searchParams.keys()].sort()).toEqual(["code", "iss", "state"]);
  expect(back.searchParams.get("state")).toBe("s-1");
  expect(back.searchParams.get("code")).toMatch(/^[A-Za-z0-9_-]{43}$/);

  const tokens = await exchange(request, { code: back.searchParams.get("code")!, code_verifier: verifier });
  expect(tokens.status(), await tokens.text()).toBe(200);
  expect(tokens.headers()["cache-control"]).toBe("no-store");
  expect(tokens.headers()["set-cookie"]).toBeUndefined();
  const pair = await tokens.json();
  expect(pair).toMatchObject({ token_type: "Bearer", expires_in: expect.any(Number) });
  expect(pair.refresh_token).toEqual(expect.any(String));

  const me = await request.get("/api/me", { headers: { authorization: `Bearer ${pair.access_token}` } });
  expect(me.status()).toBe(200);
  expect(await me.json()).toMatchObject({ id: account.id, email: account.email, client_id: "cli" });
});

test("a script's fetch of /authorize gets no code: only a navigation (or a client outside a browser) does", async ({
  sessionRequest,
}) => {
  const { challenge } = pkcePair();
  for (const mode of ["cors", "no-cors", "same-origin"]) {
    const answer = await sessionRequest.get(authorizeUrl({ code_challenge: challenge }), {
      headers: { "sec-fetch-mode": mode },
      maxRedirects: 0,
    });
    expect(answer.status(), mode).toBe(400);
    expect(answer.headers()["location"]).toBeUndefined();
  }
  const navigation = await sessionRequest.get(authorizeUrl({ code_challenge: challenge }), {
    headers: { "sec-fetch-mode": "navigate" },
    maxRedirects: 0,
  });
  expect(navigation.status()).toBe(302);
});

test("sent from a page (another site's, or the login page), the person is asked first, and only a same-origin answer counts", async ({
  sessionRequest,
  request,
}) => {
  const { verifier, challenge } = pkcePair();
  const params = { code_challenge: challenge, state: "asked" };
  for (const site of ["cross-site", "same-site", "same-origin"]) {
    const asked = await sessionRequest.get(authorizeUrl(params), {
      headers: { "sec-fetch-site": site, "sec-fetch-mode": "navigate" },
      maxRedirects: 0,
    });
    expect(asked.status(), site).toBe(200);
    expect(asked.headers()["location"]).toBeUndefined();
    expect(asked.headers()["content-security-policy"]).toContain("form-action 'self' http://127.0.0.1:53682");
    expect(asked.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(await asked.text()).toContain('value="allow"');
  }
  const answer = (decision: string, headers: Record<string, string>) =>
    sessionRequest.post("/authorize", {
      headers,
      form: {
        response_type: "code",
        client_id: "cli",
        redirect_uri: REDIRECT,
        code_challenge_method: "S256",
        ...params,
        decision,
      },
      maxRedirects: 0,
    });
  // Another site's form cannot answer for the person.
  const forged = await answer("allow", { origin: "http://127.0.0.1:9", "sec-fetch-site": "cross-site" });
  expect(forged.status()).toBe(403);
  expect(forged.headers()["location"]).toBeUndefined();

  const declined = await answer("deny", { origin });
  expect(declined.status()).toBe(303);
  const back = new URL(declined.headers()["location"]!);
  expect(back.searchParams.get("error")).toBe("access_denied");
  expect(back.searchParams.get("state")).toBe("asked");

  const allowed = await answer("allow", { origin });
  expect(allowed.status()).toBe(303);
  const code = new URL(allowed.headers()["location"]!).searchParams.get("code")!;
  expect((await exchange(request, { code, code_verifier: verifier })).status()).toBe(200);
});

test("without a session, /authorize sends the person to sign in and then back to the same request", async ({
  request,
}) => {
  const { challenge } = pkcePair();
  const { status, location } = await authorize(request, { code_challenge: challenge, state: "s-2" });
  expect(status).toBe(302);
  const login = new URL(location!, origin);
  expect(login.pathname).toBe("/login");
  expect(login.searchParams.get("next")).toBe(authorizeUrl({ code_challenge: challenge, state: "s-2" }));
});

test("a code used twice: the second exchange is refused, and the refresh token the first one issued is revoked", async ({
  sessionRequest,
  request,
}) => {
  const { verifier, challenge } = pkcePair();
  const code = await codeFor(sessionRequest, challenge);
  const first = await exchange(request, { code, code_verifier: verifier });
  expect(first.status()).toBe(200);
  const { refresh_token } = await first.json();

  const second = await exchange(request, { code, code_verifier: verifier });
  expect(second.status()).toBe(400);
  expect(await second.json()).toMatchObject({
    error: "invalid_grant",
    error_description: expect.stringContaining("already used"),
  });

  const refresh = await request.post("/api/auth/token", {
    form: { grant_type: "refresh_token", client_id: "cli", refresh_token },
  });
  expect(refresh.status()).toBe(400);
  expect(await refresh.json()).toMatchObject({
    error: "invalid_grant",
    error_description: expect.stringContaining("revoked"),
  });
});

test("a wrong code_verifier is refused without spending the code, which still works with the right one", async ({
  sessionRequest,
  request,
}) => {
  const { verifier, challenge } = pkcePair();
  const code = await codeFor(sessionRequest, challenge);
  for (const wrong of [pkcePair().verifier, "short", verifier.slice(0, -1)]) {
    const answer = await exchange(request, { code, code_verifier: wrong });
    expect(answer.status()).toBe(400);
    expect(await answer.json()).toMatchObject({ error: "invalid_grant" });
  }
  // Nor for another redirect URI or client than the code was sent to.
  const elsewhere = await exchange(request, {
    code,
    code_verifier: verifier,
    redirect_uri: "http://127.0.0.1:1/callback",
  });
  expect(elsewhere.status()).toBe(400);
  expect((await exchange(request, { code, code_verifier: verifier, client_id: "api" })).status()).toBe(400);

  expect((await exchange(request, { code, code_verifier: verifier })).status()).toBe(200);
});

test("an unknown client, or a redirect URI it did not register, is told to the person and never redirected to", async ({
  sessionRequest,
}) => {
  const { challenge } = pkcePair();
  const cases: Record<string, string>[] = [
    { client_id: "unknown" },
    { client_id: "browser" }, // registered, but not for the code flow
    { redirect_uri: "https://attacker.example/callback" },
    { redirect_uri: "http://localhost:53682/callback" }, // a name, not the loopback literal (RFC 8252 §8.3)
    { redirect_uri: "http://127.0.0.1:53682/elsewhere" },
    { redirect_uri: "http://127.0.0.1:53682/callback?x=1" },
    { redirect_uri: "http://user@127.0.0.1:53682/callback" },
    { redirect_uri: "HTTP://127.0.0.1:53682/callback" }, // not in the normal form it would be compared in
    { redirect_uri: "" },
  ];
  for (const params of cases) {
    const { status, location, answer } = await authorize(sessionRequest, { code_challenge: challenge, ...params });
    expect(status, JSON.stringify(params)).toBe(400);
    expect(location, JSON.stringify(params)).toBeNull();
    expect(answer.headers()["content-type"]).toContain("text/html");
  }
  // A second redirect_uri, even a registered one, is a malformed request.
  const twice = await sessionRequest.get(
    `${authorizeUrl({ code_challenge: challenge })}&redirect_uri=${encodeURIComponent(REDIRECT)}`,
    { maxRedirects: 0 },
  );
  expect(twice.status()).toBe(400);
});

test("state goes back exactly as sent, on errors too; PKCE is required and only S256", async ({ sessionRequest }) => {
  const { challenge } = pkcePair();
  const state = "a state with spaces & symbols=/?é";
  const code = await codeFor(sessionRequest, challenge, state);
  expect(code).toBeTruthy();

  const refusals: [Record<string, string>, string][] = [
    [{ code_challenge: "" }, "invalid_request"],
    [{ code_challenge: challenge, code_challenge_method: "plain" }, "invalid_request"],
    [{ code_challenge: "too-short" }, "invalid_request"],
    [{ code_challenge: challenge, response_type: "token" }, "unsupported_response_type"],
  ];
  for (const [params, error] of refusals) {
    const { status, location } = await authorize(sessionRequest, { state, ...params });
    expect(status, JSON.stringify(params)).toBe(302);
    const back = new URL(location!);
    expect(`${back.origin}${back.pathname}`).toBe(REDIRECT);
    expect(back.searchParams.get("error"), JSON.stringify(params)).toBe(error);
    expect(back.searchParams.get("state")).toBe(state);
    expect(back.searchParams.get("iss")).toBe(ISSUER);
    expect(back.searchParams.get("code")).toBeNull();
  }
});

test("the form grants: errors as RFC 6749 §5.2 has them, refresh rotates, and a browser's token is refused here", async ({
  sessionRequest,
  request,
}) => {
  const post = (form: Record<string, string>) => request.post("/api/auth/token", { form });
  const expectError = async (form: Record<string, string>, status: number, error: string) => {
    const answer = await post(form);
    expect(answer.status(), JSON.stringify(form)).toBe(status);
    expect(answer.headers()["cache-control"]).toBe("no-store");
    expect(await answer.json()).toMatchObject({ error });
  };
  await expectError({ grant_type: "password", username: "a", password: "b" }, 400, "unsupported_grant_type");
  await expectError({ grant_type: "client_credentials" }, 400, "unsupported_grant_type");
  await expectError({ client_id: "cli" }, 400, "invalid_request");
  await expectError({ grant_type: "authorization_code", client_id: "cli" }, 400, "invalid_request");
  await expectError({ grant_type: "authorization_code", client_id: "nobody", code: "x" }, 400, "invalid_client");
  await expectError({ grant_type: "refresh_token", refresh_token: "x" }, 400, "invalid_request");
  await expectError({ grant_type: "refresh_token", client_id: "cli", refresh_token: "not-one" }, 400, "invalid_grant");

  const { verifier, challenge } = pkcePair();
  const code = await codeFor(sessionRequest, challenge);
  const first = await (await exchange(request, { code, code_verifier: verifier })).json();
  const rotated = await post({ grant_type: "refresh_token", client_id: "cli", refresh_token: first.refresh_token });
  expect(rotated.status()).toBe(200);
  const second = await rotated.json();
  expect(second.refresh_token).not.toBe(first.refresh_token);
  // Presented as another client's: refused, and left as it was.
  await expectError(
    { grant_type: "refresh_token", client_id: "api", refresh_token: second.refresh_token },
    400,
    "invalid_grant",
  );
  expect(
    (await post({ grant_type: "refresh_token", client_id: "cli", refresh_token: second.refresh_token })).status(),
  ).toBe(200);

  // A browser's refresh token lives in its cookie and is never taken here.
  await expectError(
    { grant_type: "refresh_token", client_id: "browser", refresh_token: second.refresh_token },
    400,
    "invalid_request",
  );
});

test("a cross-site form post to the token endpoint reads no cookie and sets none", async ({ sessionRequest }) => {
  const { verifier, challenge } = pkcePair();
  const code = await codeFor(sessionRequest, challenge);
  // What a form on another site would send: the code is the attacker's own,
  // so all it buys is the attacker's tokens, in a reply the attacker's page
  // cannot read, and no cookie for the victim's browser.
  const answer = await sessionRequest.post("/api/auth/token", {
    headers: { origin: "http://127.0.0.1:9", "sec-fetch-site": "cross-site" },
    form: { grant_type: "authorization_code", client_id: "cli", redirect_uri: REDIRECT, code, code_verifier: verifier },
  });
  expect(answer.status()).toBe(200);
  expect(answer.headers()["set-cookie"]).toBeUndefined();
  // The refresh grant with no refresh_token does not fall back to a cookie.
  const noToken = await sessionRequest.post("/api/auth/token", {
    headers: { origin: "http://127.0.0.1:9", "sec-fetch-site": "cross-site" },
    form: { grant_type: "refresh_token", client_id: "cli" },
  });
  expect(noToken.status()).toBe(400);
  expect(noToken.headers()["set-cookie"]).toBeUndefined();
});

test("discovery names the authorization endpoint, code with S256, iss in responses and the grants that are on", async ({
  request,
}) => {
  const metadata = await (await request.get("/.well-known/oauth-authorization-server")).json();
  expect(metadata).toMatchObject({
    authorization_endpoint: `${ISSUER}/authorize`,
    response_types_supported: ["code"],
    code_challenge_methods_supported: ["S256"],
    authorization_response_iss_parameter_supported: true,
    grant_types_supported: ["authorization_code", "refresh_token", "password"],
  });
});
