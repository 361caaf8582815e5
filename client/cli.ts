// A command-line client standing in for a mobile app: it signs in once,
// keeps its access and refresh tokens in a file of its own, refreshes when
// the access token has expired, and calls any API with it. It knows the app
// only through HTTP, as any other client would.
//
//   echo "$PASSWORD" | npm run client -- login --email ada@example.com --password-stdin
//   npm run client -- whoami
//   npm run client -- call http://localhost:3001/whoami
//   npm run client -- refresh
//   npm run client -- logout
import { parseArgs } from "node:util";
import { credentialsFile, deleteCredentials, loadCredentials, saveCredentials, type Credentials } from "./credentials";

const USAGE = `usage: npm run client -- <command> [--url <app>]
  login --email <email> --password-stdin   sign in (the password is read from stdin, never an argument)
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

async function post(
  url: string,
  body: unknown,
  what: string,
): Promise<{ status: number; json: Record<string, unknown> }> {
  requireSafeUrl(url, what);
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
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
  return { status: response.status, json };
}

function fromAnswer(url: string, email: string, answer: TokenAnswer): Credentials {
  const now = Date.now();
  return {
    url,
    email,
    access_token: answer.access_token,
    refresh_token: answer.refresh_token,
    access_expires_at: now + answer.expires_in * 1000,
    refresh_expires_at: now + answer.refresh_expires_in * 1000,
  };
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
}

async function login(file: string, url: string, email: string | undefined, passwordStdin: boolean): Promise<void> {
  if (!email || !passwordStdin) throw new Exit("login needs --email <email> and --password-stdin", 2);
  // Before the password is read: nothing is typed for a URL that would be refused.
  requireSafeUrl(url, "a password");
  const password = await readStdin();
  const answer = await post(`${url}/api/auth/token`, { email, password, client_id: "api" }, "a password");
  if (answer.status !== 200) throw new Exit(`sign-in refused (${answer.status}): ${describe(answer.json)}`, 1);
  saveCredentials(file, fromAnswer(url, email, answer.json as unknown as TokenAnswer));
  console.log(`signed in as ${email}; tokens saved in ${file}`);
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
  const answer = await post(
    `${credentials.url}/api/auth/refresh`,
    { refresh_token: credentials.refresh_token },
    "the refresh token",
  );
  if (answer.status === 200) {
    const next = fromAnswer(credentials.url, credentials.email, answer.json as unknown as TokenAnswer);
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
    let response: Response;
    try {
      response = await fetch(target, {
        headers: { authorization: `Bearer ${credentials.access_token}` },
        signal: AbortSignal.timeout(15_000),
      });
    } catch (error) {
      throw new Exit(`cannot reach ${target}: ${(error as Error).message}`, 3);
    }
    const text = await response.text();
    if (response.status === 401 && attempt === 1) {
      credentials = await refresh(file, credentials);
      continue;
    }
    console.log(`${response.status} ${text}`);
    return response.ok ? 0 : 1;
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
      await login(file, url, values.email, values["password-stdin"]);
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
