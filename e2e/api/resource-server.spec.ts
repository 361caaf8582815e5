// resource-server/ as a real separate process, started as `npm run demo`
// starts it: an empty environment plus the issuer's URL and its own
// introspection credentials. It finds the keys by discovery and accepts the
// app's access tokens; it cannot read sessions.
import { spawn, spawnSync } from "node:child_process";
import net from "node:net";
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { exportJWK, generateKeyPair, SignJWT, decodeJwt, decodeProtectedHeader } from "jose";
import { config } from "@/lib/config";
import { db } from "@/lib/db";
import { getSigningKey } from "@/lib/auth/keys";
import { RESOURCE_SERVER_COMMAND } from "@/scripts/resource-server";
import { expect, test } from "../fixtures";
import { setCookies } from "../helpers";
import { resourceServer } from "../resource-server";

const now = () => Math.floor(Date.now() / 1000);
let server: { url: string };

test.beforeAll(async () => {
  server = await resourceServer();
});
test.afterAll(async () => {
  await db().$disconnect();
});

const whoami = (token: string | null, query = "", headers: Record<string, string> = {}) =>
  fetch(`${server.url}/whoami${query}`, {
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
  });

test("accepts the app's access token with nothing but the issuer's public keys @once", async ({
  account: user,
  tokens,
}) => {
  const answer = await whoami(tokens.accessToken);
  expect(answer.status).toBe(200);
  expect(await answer.json()).toEqual({
    sub: user.id,
    email: user.email,
    // The fixture signs in as the dashboard's browser client.
    client_id: "browser",
    kid: decodeProtectedHeader(tokens.accessToken).kid,
    verified_by: "jwks",
    check_ms: expect.any(Number),
    fetched_keys: expect.any(Boolean),
  });
  // Keys fetched once are reused (jose's cache) for the next token.
  expect((await (await whoami(tokens.accessToken)).json()).fetched_keys).toBe(false);
  expect(answer.headers.get("server-timing")).toMatch(/^auth;desc="jwks";dur=\d+(\.\d+)?$/);
});

test("refuses forged, unsigned, foreign and missing tokens with RFC 6750 answers @once", async ({ tokens }) => {
  const claims = decodeJwt(tokens.accessToken);
  const header = decodeProtectedHeader(tokens.accessToken);
  const { privateKey, publicKey } = await generateKeyPair("ES256");
  const forged = await new SignJWT(claims).setProtectedHeader({ ...header, alg: "ES256" }).sign(privateKey);
  const embedded = await new SignJWT(claims)
    .setProtectedHeader({ alg: "ES256", typ: "at+jwt", jwk: await exportJWK(publicKey) })
    .sign(privateKey);
  const unsigned = `${Buffer.from(JSON.stringify({ alg: "none", typ: "at+jwt" })).toString("base64url")}.${tokens.accessToken.split(".")[1]}.`;
  const [, body] = tokens.accessToken.split(".");
  // Signed with the issuer's real key, so only the claim is wrong.
  const ours = await getSigningKey();
  const otherAudience = await new SignJWT({ ...claims, aud: "another-api" })
    .setProtectedHeader({ alg: ours.alg, kid: ours.kid, typ: "at+jwt" })
    .sign(ours.privateKey);
  const expired = await new SignJWT({ ...claims, iat: now() - 3600, exp: now() - 600 })
    .setProtectedHeader({ alg: ours.alg, kid: ours.kid, typ: "at+jwt" })
    .sign(ours.privateKey);
  // A key that is in the issuer's JWKS, vouching for another issuer: a
  // mutation check found that dropping the resource server's issuer check
  // left every test green.
  const otherIssuer = await new SignJWT({ ...claims, iss: "https://another-issuer.example" })
    .setProtectedHeader({ alg: ours.alg, kid: ours.kid, typ: "at+jwt" })
    .sign(ours.privateKey);
  for (const [what, token] of [
    ["a token signed with another key under our kid", forged],
    ["a token that brings its own key", embedded],
    ["alg: none", unsigned],
    ["a cut token", `${tokens.accessToken.split(".")[0]}.${body}`],
    ["another audience", otherAudience],
    ["another issuer", otherIssuer],
    ["an expired token", expired],
    ["no token", null],
  ] as const) {
    const answer = await whoami(token);
    expect(answer.status, what).toBe(401);
    expect(answer.headers.get("www-authenticate"), what).toMatch(
      // With the DPoP challenge beside it (RFC 9449 §7.1).
      /^Bearer realm="resource-server", error="invalid_token", error_description="[^"]+", DPoP algs="ES256 EdDSA"$/,
    );
    expect(await answer.json(), what).toMatchObject({ error: "invalid_token" });
  }
});

test("a session cookie is refused, and the answer says why @once", async ({ request, account: user }) => {
  const signIn = await request.post("/api/session", { data: { email: user.email, password: user.password } });
  const cookie = setCookies(signIn).find((c) => c.name === "svj_session")!;
  const answer = await whoami(null, "", { cookie: `svj_session=${cookie.value}` });
  expect(answer.status).toBe(401);
  expect((await answer.json()).error_description).toContain("cannot read sessions");
});

test("a revoked token: still accepted by the stateless check until exp, refused with introspection @once", async ({
  request,
  tokens,
}) => {
  const before = await whoami(tokens.accessToken, "?introspect=1");
  expect(before.status).toBe(200);
  expect(await before.json()).toMatchObject({
    verified_by: "jwks+introspection",
    introspection_ms: expect.any(Number),
  });
  expect(before.headers.get("server-timing")).toMatch(/auth;desc="jwks";dur=[\d.]+, introspection;dur=[\d.]+/);
  await request.post("/api/auth/revoke", { data: { token: tokens.accessToken } });
  expect((await whoami(tokens.accessToken)).status).toBe(200);
  const after = await whoami(tokens.accessToken, "?introspect=1");
  expect(after.status).toBe(401);
  expect((await after.json()).error_description).toContain("no longer active");
});

// Found by the third security review: `GET http://[` was a 500.
test("request targets that are not a path are a 4xx, never a 5xx @once", async () => {
  const { port } = new URL(server.url);
  const raw = (line: string) =>
    new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(port), "127.0.0.1", () =>
        socket.write(`${line}\r\nHost: localhost:${port}\r\nConnection: close\r\n\r\n`),
      );
      let answer = "";
      socket.on("data", (chunk) => (answer += chunk.toString("latin1")));
      socket.on("close", () => resolve(answer.split("\r\n")[0]!));
      socket.on("error", reject);
    });
  expect(await raw("GET http://[ HTTP/1.1")).toBe("HTTP/1.1 400 Bad Request");
  expect(await raw("OPTIONS * HTTP/1.1")).toBe("HTTP/1.1 204 No Content");
  expect(await raw("GET * HTTP/1.1")).toMatch(/^HTTP\/1\.1 4\d\d /);
  expect(await raw(`GET http://localhost:${port}/health HTTP/1.1`)).toBe("HTTP/1.1 200 OK");
});

test("CORS for the app's own origin only @once", async () => {
  const own = await fetch(`${server.url}/whoami`, { method: "OPTIONS", headers: { origin: config().publicUrl } });
  expect(own.status).toBe(204);
  expect(own.headers.get("access-control-allow-origin")).toBe(config().publicUrl);
  expect(own.headers.get("access-control-allow-credentials")).toBe("true");
  expect(own.headers.get("access-control-allow-headers")).toBe("Authorization, DPoP");
  const other = await fetch(`${server.url}/whoami`, { headers: { origin: "https://evil.example" } });
  expect(other.headers.get("access-control-allow-origin")).toBeNull();
});

test("refuses to start when handed the app's secrets or database, or a plain-http issuer elsewhere @once", () => {
  const [command, ...args] = RESOURCE_SERVER_COMMAND;
  for (const name of ["AUTH_SECRET", "DATABASE_URL", "SESSION_PASSWORDS"]) {
    const run = spawnSync(command!, args, {
      env: { NODE_ENV: "production", PATH: process.env.PATH, ISSUER: config().publicUrl, [name]: "x" },
      encoding: "utf8",
      timeout: 20_000,
    });
    expect(run.status, name).toBe(2);
    expect(run.stderr, name).toContain(`must not be given ${name}`);
  }
  const plain = spawnSync(command!, args, {
    env: { NODE_ENV: "production", PATH: process.env.PATH, ISSUER: "http://auth.example.com" },
    encoding: "utf8",
    timeout: 20_000,
  });
  expect(plain.status).toBe(2);
  expect(plain.stderr).toContain("ISSUER must be https://");
});

// The command-line client stands in for a mobile app: its own token file,
// refresh when needed, and calls to the app and to the resource server.
test("the command-line client: login from stdin, whoami, call, refresh, logout @once", async ({ newAccount: user }) => {
  const folder = mkdtempSync(path.join(tmpdir(), "svj-client-"));
  const file = path.join(folder, "config", "credentials.json");
  const client = (args: string[], input = "") =>
    spawnSync("node_modules/.bin/tsx", ["client/cli.ts", ...args], {
      env: { NODE_ENV: "production", PATH: process.env.PATH, SVJ_CREDENTIALS_FILE: file },
      input,
      encoding: "utf8",
      timeout: 30_000,
    });
  const stored = () => JSON.parse(readFileSync(file, "utf8")) as { refresh_token: string; access_expires_at: number };

  // One argument: a generated password may start with "-", which parseArgs
  // would not take as the value of a separate argument.
  expect(client(["login", "--email", user.email, `--password=${user.password}`]).status).toBe(2);
  const plain = client(
    ["login", "--url", "http://auth.example.com", "--email", user.email, "--password-stdin"],
    user.password,
  );
  expect(plain.status).toBe(2);
  expect(plain.stderr).toContain("refusing to send a password to http://auth.example.com");
  const login = client(
    ["login", "--url", config().publicUrl, "--email", user.email, "--password-stdin"],
    `${user.password}\n`,
  );
  expect(login.status, login.stderr).toBe(0);
  expect(statSync(file).mode & 0o777).toBe(0o600);
  expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
  expect(readFileSync(file, "utf8")).not.toContain(user.password);

  // Found by the third security review: only login checked the scheme;
  // `call` sent the Bearer token to any plain-http host, and the URL read
  // back from the credentials file was never checked again.
  const plainCall = client(["call", "http://192.0.2.1/whoami"]);
  expect(plainCall.status).toBe(2);
  expect(plainCall.stderr).toContain("refusing to send the access token to http://192.0.2.1/whoami");
  const saved = readFileSync(file, "utf8");
  writeFileSync(file, JSON.stringify({ ...JSON.parse(saved), url: "http://auth.example.com" }), { mode: 0o600 });
  for (const command of ["whoami", "refresh", "logout"]) {
    const tampered = client([command]);
    expect(tampered.status, command).toBe(2);
    expect(tampered.stderr, command).toMatch(
      /^refusing to send the (access|refresh) token to http:\/\/auth\.example\.com/,
    );
  }
  writeFileSync(file, saved, { mode: 0o600 });

  const me = client(["whoami"]);
  expect(me.status, me.stderr).toBe(0);
  expect(me.stdout).toContain(`200 {"id":"${user.id}","email":"${user.email}"`);
  const elsewhere = client(["call", `${server.url}/whoami`]);
  expect(elsewhere.status, elsewhere.stderr).toBe(0);
  expect(elsewhere.stdout).toMatch(/^200 \{"sub":"[^"]+","email":"[^"]+","client_id":"api"/);

  // An expired access token is refreshed before the call.
  const first = stored();
  writeFileSync(file, JSON.stringify({ ...first, access_expires_at: Date.now() - 1000 }), { mode: 0o600 });
  expect(client(["whoami"]).status).toBe(0);
  expect(stored().refresh_token).not.toBe(first.refresh_token);
  const second = stored();
  expect(client(["refresh"]).status).toBe(0);
  expect(stored().refresh_token).not.toBe(second.refresh_token);

  const logout = client(["logout"]);
  expect(logout.status, logout.stderr).toBe(0);
  expect(existsSync(file)).toBe(false);
  const families = await db().refreshFamily.findMany({ where: { userId: user.id } });
  expect(families.map((family) => family.revokedReason)).toEqual(["revoked"]);
  const after = client(["whoami"]);
  expect(after.status).toBe(1);
  expect(after.stderr).toContain("signed out");
});

// As native apps should sign in (RFC 8252): in the browser, code + PKCE back
// to a port of the client's own, tokens bound to its DPoP key. The
// "browser" is a request carrying the worker account's session cookie.
test("the command-line client: login in the browser with code + PKCE, DPoP-bound tokens, whoami, call, refresh, logout @once", async ({
  sessionRequest,
  account,
}) => {
  const folder = mkdtempSync(path.join(tmpdir(), "svj-client-"));
  const file = path.join(folder, "config", "credentials.json");
  const env: NodeJS.ProcessEnv = { NODE_ENV: "production", PATH: process.env.PATH, SVJ_CREDENTIALS_FILE: file };
  const client = (args: string[]) =>
    spawnSync("node_modules/.bin/tsx", ["client/cli.ts", ...args], { env, encoding: "utf8", timeout: 30_000 });

  const login = spawn(
    "node_modules/.bin/tsx",
    ["client/cli.ts", "login", "--url", config().publicUrl, "--no-browser"],
    {
      env,
    },
  );
  let output = "";
  login.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  login.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => login.on("exit", resolve));
  await expect.poll(() => /^https?:\/\/\S+\/authorize\?\S+$/m.test(output), { timeout: 20_000 }).toBe(true);
  const authorizeUrl = /^(https?:\/\/\S+\/authorize\?\S+)$/m.exec(output)![1]!;
  const asked = new URL(authorizeUrl).searchParams;
  expect(asked.get("client_id")).toBe("cli");
  expect(asked.get("code_challenge_method")).toBe("S256");
  expect(asked.get("dpop_jkt")).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(asked.get("redirect_uri")).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);

  // The browser: signed in, sent straight back to the client's port.
  const authorized = await sessionRequest.get(authorizeUrl, { maxRedirects: 0 });
  expect(authorized.status()).toBe(302);
  const back = await fetch(authorized.headers()["location"]!);
  expect(await back.text()).toContain("You can close this tab");
  expect(await exited, output).toBe(0);
  expect(output).toContain(`signed in as ${account.email}`);

  expect(statSync(file).mode & 0o777).toBe(0o600);
  const stored = JSON.parse(readFileSync(file, "utf8")) as {
    access_token: string;
    refresh_token: string;
    dpop_key: { privateJwk: { d: string } };
  };
  expect(stored.dpop_key.privateJwk.d).toEqual(expect.any(String));
  expect(decodeJwt(stored.access_token).cnf).toEqual({ jkt: asked.get("dpop_jkt") });

  const me = client(["whoami"]);
  expect(me.status, me.stderr).toBe(0);
  expect(me.stdout).toContain(`200 {"id":"${account.id}"`);
  const elsewhere = client(["call", `${server.url}/whoami`]);
  expect(elsewhere.status, elsewhere.stderr).toBe(0);
  expect(elsewhere.stdout).toMatch(/^200 \{"sub":"[^"]+","email":"[^"]+","client_id":"cli"/);
  // The same token without the key: refused.
  const stolen = await fetch(`${config().publicUrl}/api/me`, {
    headers: { authorization: `Bearer ${stored.access_token}` },
  });
  expect(stolen.status).toBe(401);

  expect(client(["refresh"]).status).toBe(0);
  const rotated = JSON.parse(readFileSync(file, "utf8")) as { refresh_token: string; access_token: string };
  expect(rotated.refresh_token).not.toBe(stored.refresh_token);
  expect(decodeJwt(rotated.access_token).cnf).toEqual({ jkt: asked.get("dpop_jkt") });

  const logout = client(["logout"]);
  expect(logout.status, logout.stderr).toBe(0);
  expect(existsSync(file)).toBe(false);
});
