// A command-line client standing in for a mobile app: it signs in once,
// keeps its access and refresh tokens in a file of its own, refreshes when
// the access token has expired, and calls any API with it. It knows the app
// only through HTTP, as any other client would. It signs in as native apps
// should (RFC 8252): in the system browser, with the authorization code
// flow and PKCE, the code coming back to a port of its own on this machine,
// and its tokens bound to a key it keeps (DPoP, RFC 9449), so a copy of
// them is useless without the key.
//
//   npm run client -- login
//   npm run client -- whoami
//   npm run client -- call http://localhost:3001/whoami
//   npm run client -- refresh
//   npm run client -- logout
import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";
import { calculateJwkThumbprint, decodeJwt } from "jose";
import { credentialsFile, deleteCredentials, loadCredentials, saveCredentials, type Credentials } from "./credentials";
import { dpopProof, newDpopKey, type DpopKey } from "./dpop";

const USAGE = `usage: npm run client -- <command> [--url <app>]
  login [--no-browser]                     sign in in the browser (code + PKCE; tokens bound to this client's DPoP key)
  login --email <email> --password-stdin   legacy: the password grant OAuth 2.1 removes (read from stdin, never an argument)
  whoami                                   GET /api/me, refreshing first if the access token expired
  call <url>                               GET any URL with the access token (e.g. the resource server)
  refresh                                  rotate the refresh token now
  logout                                   revoke this client's refresh family and forget the tokens
Tokens are kept in $SVJ_CREDENTIALS_FILE (default ~/.config/session-vs-jwt/credentials.json, mode 0600).`;

// Refresh this long before the access token's exp, so a call never carries a token that expires on the way.
const EXPIRY_MARGIN_MS = 10_000;

class Exit extends Error {
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
  }
}

type TokenAnswer = { access_token: string; refresh_token: string; expires_in: number; refresh_expires_in: number };

// The client this is, as the app registered it, and how long a sign-in in
// the browser may take.
const CLIENT_ID = "cli";
const SIGN_IN_TIMEOUT_MS = 5 * 60_000;

// Every request this client makes carries a credential (a password, a
// refresh token, an access token): only over https, or plain http to this
// machine. Checked on each request, so a URL read back from the
// credentials file, or given to `call`, is held to the same rule as login's.
function requireSafeUrl(url: string, what: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Exit(`not a URL: ${url}`, 2);
  }
  const { protocol, hostname } = parsed;
  if (protocol !== "https:" && !(protocol === "http:" && /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/.test(hostname))) {
    throw new Exit(`refusing to send ${what} to ${url}: use https:// (http:// only on this machine)`, 2);
  }
}

type Answer = { status: number; text: string; json: Record<string, unknown>; headers: Headers };

// One request with a credential in it; `dpop`, when the tokens are bound to
// a key: a proof is made for the request, and made again with the server's
// nonce if it asks for one (use_dpop_nonce, RFC 9449 §8).
async function send(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string },
  what: string,
  dpop?: { key: DpopKey; accessToken?: string },
): Promise<Answer> {
  requireSafeUrl(url, what);
  const method = init.method ?? "POST";
  let nonce: string | undefined;
  for (let attempt = 1; ; attempt++) {
    const headers: Record<string, string> = { ...init.headers };
    if (dpop) headers.dpop = await dpopProof(dpop.key, method, url, { accessToken: dpop.accessToken, nonce });
    let response: Response;
    try {
      response = await fetch(url, { method, headers, body: init.body, signal: AbortSignal.timeout(15_000) });
    } catch (error) {
      throw new Exit(`cannot reach ${url}: ${(error as Error).message}`, 3);
    }
    const text = await response.text();
    let json: Record<string, unknown> = {};
    try {
      json = JSON.parse(text) as Record<string, unknown>;
    } catch {
      json = { body: text };
    }
    const askedNonce = response.headers.get("dpop-nonce");
    if (dpop && attempt === 1 && askedNonce && needsNonce(response, json)) {
      nonce = askedNonce;
      continue;
    }
    return { status: response.status, text, json, headers: response.headers };
  }
}

function needsNonce(response: Response, json: Record<string, unknown>): boolean {
  return json.error === "use_dpop_nonce" || (response.headers.get("www-authenticate") ?? "").includes("use_dpop_nonce");
}

function post(url: string, body: unknown, what: string): Promise<Answer> {
  return send(url, { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }, what);
}

function postForm(url: string, form: Record<string, string>, what: string, key: DpopKey): Promise<Answer> {
  const body = new URLSearchParams(form).toString();
  return send(url, { headers: { "content-type": "application/x-www-form-urlencoded" }, body }, what, { key });
}

function fromAnswer(url: string, email: string, answer: TokenAnswer, dpopKey?: DpopKey): Credentials {
  const now = Date.now();
  return {
    url,
    email,
    access_token: answer.access_token,
    refresh_token: answer.refresh_token,
    access_expires_at: now + answer.expires_in * 1000,
    refresh_expires_at: now + answer.refresh_expires_in * 1000,
    ...(dpopKey && { dpop_key: dpopKey }),
  };
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
}

// Legacy: the person types their password into this program, the one
// pattern RFC 8252 tells native apps not to use. Kept, flagged, for scripts.
async function loginWithPassword(file: string, url: string, email: string | undefined): Promise<void> {
  if (!email) throw new Exit("login --password-stdin needs --email <email>", 2);
  // Before the password is read: nothing is typed for a URL that would be refused.
  requireSafeUrl(url, "a password");
  const password = await readStdin();
  const answer = await post(`${url}/api/auth/token`, { email, password, client_id: "api" }, "a password");
  if (answer.status !== 200) throw new Exit(`sign-in refused (${answer.status}): ${describe(answer.json)}`, 1);
  saveCredentials(file, fromAnswer(url, email, answer.json as unknown as TokenAnswer));
  console.log(`signed in as ${email} with a password (legacy); tokens saved in ${file}`);
}

type Metadata = { issuer: string; authorization_endpoint: string; token_endpoint: string };

async function discover(url: string): Promise<Metadata> {
  const answer = await send(`${url}/.well-known/oauth-authorization-server`, { method: "GET" }, "a request");
  const metadata = answer.json as Partial<Metadata>;
  if (answer.status !== 200 || !metadata.authorization_endpoint || !metadata.token_endpoint || !metadata.issuer)
    throw new Exit(`${url} does not describe an authorization endpoint (RFC 8414)`, 1);
  for (const endpoint of [metadata.authorization_endpoint, metadata.token_endpoint])
    requireSafeUrl(endpoint, "a sign-in");
  return metadata as Metadata;
}

// The loopback redirect (RFC 8252 §7.3): a port of this program's own on
// 127.0.0.1, which answers the one request the browser brings back.
function awaitRedirect(): Promise<{ redirectUri: string; callback: Promise<URL>; close: () => void }> {
  return new Promise((resolve, reject) => {
    let settle: (url: URL) => void;
    let fail: (error: Error) => void;
    const callback = new Promise<URL>((ok, no) => {
      settle = ok;
      fail = no;
    });
    const server = http.createServer((request, response) => {
      const url = new URL(request.url ?? "/", "http://127.0.0.1");
      if (url.pathname !== "/callback") return void response.writeHead(404).end();
      response
        .writeHead(200, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" })
        .end("The command-line client has your answer. You can close this tab.");
      settle(url);
    });
    const timer = setTimeout(
      () => fail(new Exit("no answer from the browser within 5 minutes", 1)),
      SIGN_IN_TIMEOUT_MS,
    );
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        redirectUri: `http://127.0.0.1:${port}/callback`,
        callback,
        close: () => {
          clearTimeout(timer);
          server.close();
        },
      });
    });
  });
}

// Where it can, the system browser opens the address; it is printed anyway.
function openInBrowser(url: string): void {
  const command = process.platform === "darwin" ? "open" : process.platform === "win32" ? "explorer" : "xdg-open";
  const child = spawn(command, [url], { stdio: "ignore", detached: true });
  child.on("error", () => {});
  child.unref();
}

async function login(file: string, url: string, openBrowser: boolean): Promise<void> {
  requireSafeUrl(url, "a sign-in");
  const metadata = await discover(url);
  const key = await newDpopKey();
  const verifier = randomBytes(32).toString("base64url");
  const state = randomBytes(16).toString("base64url");
  const redirect = await awaitRedirect();
  try {
    const authorize = new URL(metadata.authorization_endpoint);
    authorize.search = new URLSearchParams({
      response_type: "code",
      client_id: CLIENT_ID,
      redirect_uri: redirect.redirectUri,
      code_challenge: createHash("sha256").update(verifier).digest("base64url"),
      code_challenge_method: "S256",
      state,
      dpop_jkt: await calculateJwkThumbprint(key.publicJwk, "sha256"),
    }).toString();
    console.log(`Sign in in your browser (waiting for it on ${redirect.redirectUri}):\n${authorize.href}`);
    if (openBrowser) openInBrowser(authorize.href);
    const back = await redirect.callback;
    // RFC 6749 §10.12 and RFC 9207: our own request's answer, from the issuer we asked.
    if (back.searchParams.get("state") !== state) throw new Exit("the answer is not for this sign-in (state)", 1);
    if (back.searchParams.get("iss") !== metadata.issuer) throw new Exit("the answer is from another issuer (iss)", 1);
    const error = back.searchParams.get("error");
    if (error) throw new Exit(`sign-in refused: ${back.searchParams.get("error_description") ?? error}`, 1);
    const code = back.searchParams.get("code");
    if (!code) throw new Exit("the answer carries no code", 1);
    const answer = await postForm(
      metadata.token_endpoint,
      {
        grant_type: "authorization_code",
        client_id: CLIENT_ID,
        redirect_uri: redirect.redirectUri,
        code,
        code_verifier: verifier,
      },
      "the code",
      key,
    );
    if (answer.status !== 200) throw new Exit(`sign-in refused (${answer.status}): ${describe(answer.json)}`, 1);
    const tokens = answer.json as unknown as TokenAnswer;
    const email = String(decodeJwt(tokens.access_token).email ?? "");
    saveCredentials(file, fromAnswer(url, email, tokens, key));
    console.log(`signed in as ${email}; tokens (bound to this client's DPoP key) saved in ${file}`);
  } finally {
    redirect.close();
  }
}

function describe(json: Record<string, unknown>): string {
  return String(json.error_description ?? json.error ?? JSON.stringify(json));
}

function signedIn(file: string): Credentials {
  const credentials = loadCredentials(file);
  if (!credentials) throw new Exit(`signed out: no tokens in ${file} (run login)`, 1);
  return credentials;
}

// A refused refresh means signed out: the tokens are forgotten. A failure to
// get any answer (the server down, a reply lost) keeps them: the same
// refresh token may be sent again, and the server answers a retry within its
// grace window with the successor it already issued.
async function refresh(file: string, credentials: Credentials): Promise<Credentials> {
  const key = credentials.dpop_key;
  // Bound tokens refresh at the token endpoint with a proof of their key;
  // the legacy ones through the app's JSON endpoint.
  const answer = key
    ? await postForm(
        `${credentials.url}/api/auth/token`,
        { grant_type: "refresh_token", client_id: CLIENT_ID, refresh_token: credentials.refresh_token },
        "the refresh token",
        key,
      )
    : await post(
        `${credentials.url}/api/auth/refresh`,
        { refresh_token: credentials.refresh_token },
        "the refresh token",
      );
  if (answer.status === 200) {
    const next = fromAnswer(credentials.url, credentials.email, answer.json as unknown as TokenAnswer, key);
    saveCredentials(file, next);
    return next;
  }
  // Only the server's "no" to this token signs out; a 429 or a 5xx is "later".
  if (answer.status !== 400 && answer.status !== 401) {
    throw new Exit(`refresh failed (${answer.status}), tokens kept: try again`, 3);
  }
  deleteCredentials(file);
  throw new Exit(`signed out: ${describe(answer.json)}`, 1);
}

async function fresh(file: string): Promise<Credentials> {
  const credentials = signedIn(file);
  return credentials.access_expires_at - EXPIRY_MARGIN_MS > Date.now() ? credentials : refresh(file, credentials);
}

// One refresh and one retry when the server says the token is no longer good.
async function call(file: string, target: string): Promise<number> {
  requireSafeUrl(target, "the access token");
  let credentials = await fresh(file);
  for (let attempt = 1; ; attempt++) {
    const key = credentials.dpop_key;
    const answer = await send(
      target,
      {
        method: "GET",
        headers: { authorization: `${key ? "DPoP" : "Bearer"} ${credentials.access_token}` },
      },
      "the access token",
      key && { key, accessToken: credentials.access_token },
    );
    if (answer.status === 401 && attempt === 1) {
      credentials = await refresh(file, credentials);
      continue;
    }
    console.log(`${answer.status} ${answer.text}`);
    return answer.status >= 200 && answer.status < 300 ? 0 : 1;
  }
}

async function logout(file: string): Promise<void> {
  const credentials = signedIn(file);
  // RFC 7009: the refresh token's whole family ends; the answer is 200 whatever it was.
  const answer = await post(
    `${credentials.url}/api/auth/revoke`,
    { token: credentials.refresh_token },
    "the refresh token",
  );
  if (answer.status !== 200) throw new Exit(`revocation failed (${answer.status}), tokens kept`, 3);
  deleteCredentials(file);
  console.log("signed out: refresh family revoked, tokens deleted");
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      url: { type: "string" },
      email: { type: "string" },
      "password-stdin": { type: "boolean", default: false },
      "no-browser": { type: "boolean", default: false },
      password: { type: "string" },
      help: { type: "boolean", default: false },
    },
  });
  const [command, target] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  // A password in the arguments ends up in shell history and `ps`.
  if (values.password !== undefined) throw new Exit("--password is refused: pipe it into --password-stdin", 2);
  const file = credentialsFile();
  const url = (values.url ?? loadCredentials(file)?.url ?? "http://localhost:3000").replace(/\/$/, "");
  switch (command) {
    case "login":
      if (values["password-stdin"]) await loginWithPassword(file, url, values.email);
      else if (values.email)
        throw new Exit("login --email needs --password-stdin (or sign in in the browser: login)", 2);
      else await login(file, url, !values["no-browser"]);
      return 0;
    case "whoami":
      return call(file, `${signedIn(file).url}/api/me`);
    case "call":
      if (!target) throw new Exit("call needs a URL", 2);
      return call(file, target);
    case "refresh":
      await refresh(file, signedIn(file));
      console.log("refreshed");
      return 0;
    case "logout":
      await logout(file);
      return 0;
    default:
      throw new Exit(`unknown command "${command}"\n${USAGE}`, 2);
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof Exit)) throw error;
  console.error(error.message);
  process.exitCode = error.code;
}
