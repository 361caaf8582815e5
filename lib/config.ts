// The one place that reads environment variables. Every variable has a safe
// default for the local demo, is validated here, and is listed in docs/configuration.md.
// A bad value fails loudly with one line naming the variable.
import { existsSync, readFileSync } from "node:fs";
import { isIP } from "node:net";
import path from "node:path";

type Env = Record<string, string | undefined>;

export class ConfigError extends Error {
  constructor(variable: string, problem: string) {
    super(`Invalid configuration: ${variable} ${problem}`);
    this.name = "ConfigError";
  }
}

// timeoutMs bounds how long a request waits for the database (connecting,
// a query, a lock) before it is refused with 503: without it, a database
// host that stops answering would hold every request open.
export type DatabaseConfig =
  | { provider: "sqlite"; url: string; file: string; timeoutMs: number }
  | { provider: "postgres"; url: string; timeoutMs: number; poolSize: number };

export type Secrets = {
  authSecret: string;
  // Cookie (iron-session) passwords by id; the highest id seals, all unseal.
  sessionPasswords: Record<string, string>;
  // Resource servers allowed to ask POST /api/auth/introspect: secret by client id.
  introspectionClients: Record<string, string>;
  source: "env" | "file";
};

export type ThrottlePolicy = {
  // Failures allowed before any delay is imposed.
  freeFailures: number;
  // Delay after the first failure past the free ones; doubles with each further one.
  baseDelayMs: number;
  maxDelayMs: number;
  // A bucket with no failure for this long starts again from zero.
  forgetAfterMs: number;
};

// A token bucket (lib/auth/rate-limit.ts).
export type RatePolicy = {
  // Uses allowed at once, from a full bucket.
  burst: number;
  // One more use regained this often.
  intervalMs: number;
};

export type SessionPolicy = {
  idleTimeoutMs: number;
  absoluteTimeoutMs: number;
  // last-seen is written at most this often: a minute, or half the idle
  // limit when that is shorter, so activity always keeps a session alive.
  renewIntervalMs: number;
};

export type JwtAlgorithm = "ES256" | "EdDSA";

export type JwtPolicy = {
  algorithm: JwtAlgorithm;
  // PUBLIC_URL: an issuer identifier other services can discover (RFC 8414).
  issuer: string;
  audience: string;
  accessTokenTtlMs: number;
  refreshTokenTtlMs: number;
  // A family (one sign-in's chain of refresh tokens) ends this long after the
  // sign-in however often it rotates, so a stolen chain cannot live for ever.
  refreshFamilyTtlMs: number;
  // How long after a rotation the latest spent refresh token is answered
  // with its successor again (a lost reply) instead of being treated as stolen.
  refreshReuseGraceMs: number;
  clockToleranceSeconds: number;
  denylistDefault: boolean;
  // Cache-Control max-age of the JWKS: how long another service may keep it,
  // and so how long a new key is published before it signs.
  jwksMaxAgeMs: number;
  // DPoP proofs must carry a nonce this server gave out (RFC 9449 §8).
  dpopNonce: boolean;
};

export type Config = {
  port: number;
  // The address the server listens on; null: every interface (Node's
  // default). npm run demo and dev set 127.0.0.1 unless HOST is given.
  host: string | null;
  // Server-wide switches the dashboard offers every signed-in visitor
  // (denylist mode, key rotation). Off by default; npm run demo, dev and
  // cluster turn them on for a local demo.
  demoControls: boolean;
  // GET /api/store-queries answers the process's query totals (the bench's
  // server only).
  storeQueryCounts: boolean;
  // Where people and other services reach the app (an origin, no path).
  publicUrl: string;
  // The separate service that accepts the app's access tokens
  // (resource-server/), which the dashboard calls. Unset in a deployment:
  // the page would send the visitor's token to their own machine.
  resourceServerUrl: string | null;
  session: SessionPolicy;
  jwt: JwtPolicy;
  database: DatabaseConfig;
  secrets: Secrets;
  bcryptCost: number;
  // Threads that run bcrypt; unset means one fewer than the CPUs (at least one).
  passwordWorkers: number | undefined;
  trustedProxies: number;
  // Back-offs: account: one account from one client address (locks that
  // client out for a growing while); ip: one address across accounts
  // (spraying); accountWide: one account from everywhere, which only slows
  // attempts down (a bounded wait), so nobody else's failures lock the
  // owner out.
  // Rates that refill (lib/auth/rate-limit.ts), for keys many people may
  // share: signinNetwork: failed or refused sign-ins per network (IPv4 /24,
  // IPv6 /48); register / registerNetwork: registrations per address and
  // per network, each of which costs a bcrypt hash; throwawayCaller /
  // throwawayIp: the dashboard's throwaway accounts of a signed-in visitor,
  // per session or token family and per address, apart from registrations;
  // switchCaller / switchIp: flips of the demo's server-wide switches, per
  // session or token family and per address.
  throttle: {
    account: ThrottlePolicy;
    ip: ThrottlePolicy;
    accountWide: ThrottlePolicy;
    signinNetwork: RatePolicy;
    register: RatePolicy;
    registerNetwork: RatePolicy;
    throwawayCaller: RatePolicy;
    throwawayIp: RatePolicy;
    switchCaller: RatePolicy;
    switchIp: RatePolicy;
  };
  // The dashboard's experiments running at once on this instance, per user
  // and per client address (each caller runs one at a time).
  scenarioRuns: { perUser: number; perAddress: number };
  // bcrypt jobs that may wait for a worker; past that, 503 (bounded memory
  // and a bounded wait for everyone).
  passwordQueueLimit: number | undefined;
  // Expired rows (sessions, refresh families, throttle counters, denylist
  // entries) and audit events older than auditRetentionMs are deleted every
  // pruneIntervalMs, by one instance at a time.
  pruneIntervalMs: number;
  auditRetentionMs: number;
  // Where the Performance page, the landing page and /docs read `npm run bench`'s result.
  benchResultsFile: string;
  // The strategies lab (docs/strategies.md): how long the cookie-cache
  // strategy's sealed copy of a session answers without the store.
  lab: { cookieCacheTtlMs: number; revocationWatchMs: number };
};

export const DEFAULT_SQLITE_URL = "file:./data/app.db";
export const DEFAULT_SECRETS_FILE = "data/secrets.json";
export const DEFAULT_BENCH_RESULTS_FILE = "bench/results/latest.json";
const MIN_SECRET_LENGTH = 32;

function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === "" ? undefined : value;
}

export function readInt(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = read(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(name, `must be a whole number from ${min} to ${max} (got "${raw}")`);
  }
  return Number(raw);
}

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

// "90s", "30m", "8h", "14d", "250ms"; a bare number means seconds.
export function parseDuration(raw: string): number | undefined {
  const match = /^(\d+)(ms|s|m|h|d)?$/.exec(raw);
  if (!match) return undefined;
  return Number(match[1]) * DURATION_UNITS[match[2] ?? "s"]!;
}

export function readDuration(env: Env, name: string, fallbackMs: number, minMs: number, maxMs: number): number {
  const raw = read(env, name);
  if (raw === undefined) return fallbackMs;
  const ms = parseDuration(raw);
  if (ms === undefined || ms < minMs || ms > maxMs) {
    throw new ConfigError(
      name,
      `must be a duration like 90s, 30m, 8h or 14d between ${minMs / 1000}s and ${maxMs / 1000}s (got "${raw}")`,
    );
  }
  return ms;
}

export function readDatabaseConfig(env: Env = process.env, cwd = process.cwd()): DatabaseConfig {
  const url = read(env, "DATABASE_URL") ?? DEFAULT_SQLITE_URL;
  const timeoutMs = readDuration(env, "DATABASE_TIMEOUT", 5000, 100, 120_000);
  if (/^postgres(ql)?:\/\//.test(url)) {
    try {
      new URL(url);
    } catch {
      throw new ConfigError("DATABASE_URL", "is not a valid postgresql:// URL");
    }
    return { provider: "postgres", url, timeoutMs, poolSize: readInt(env, "DATABASE_POOL_SIZE", 10, 1, 500) };
  }
  if (url.startsWith("file:")) {
    const file = url.slice("file:".length);
    if (file === "") throw new ConfigError("DATABASE_URL", 'needs a path after "file:"');
    return { provider: "sqlite", url, file: path.resolve(cwd, file), timeoutMs };
  }
  throw new ConfigError("DATABASE_URL", `must start with file: (SQLite) or postgresql:// (got "${url.slice(0, 20)}…")`);
}

// "2:newest-password,1:older-password" or a single password (id 1).
export function parseSessionPasswords(raw: string): Record<string, string> {
  const entries = raw.includes(":") ? raw.split(",").map((part) => part.trim()) : [`1:${raw}`];
  const passwords: Record<string, string> = {};
  for (const entry of entries) {
    const colon = entry.indexOf(":");
    const id = entry.slice(0, colon);
    const password = entry.slice(colon + 1);
    if (!/^\d+$/.test(id))
      throw new ConfigError("SESSION_PASSWORDS", `has an entry whose id is not a number ("${id}")`);
    if (password.length < MIN_SECRET_LENGTH) {
      throw new ConfigError("SESSION_PASSWORDS", `password ${id} must be at least ${MIN_SECRET_LENGTH} characters`);
    }
    if (id in passwords) throw new ConfigError("SESSION_PASSWORDS", `lists id ${id} twice`);
    passwords[id] = password;
  }
  return passwords;
}

// A parser's message quotes the text around the error, which here is a
// secret: only the position is reported.
function readSecretsFile(file: string): Env {
  let text: string;
  try {
    text = readFileSync(/*turbopackIgnore: true*/ file, "utf8");
  } catch (error) {
    throw new ConfigError(
      "SECRETS_FILE",
      `(${file}) cannot be read: ${(error as NodeJS.ErrnoException).code ?? "unknown error"}`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const position = /position (\d+)/.exec((error as Error).message)?.[1];
    throw new ConfigError(
      "SECRETS_FILE",
      `(${file}) cannot be read: it is not valid JSON${position ? ` (near character ${position})` : ""}`,
    );
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError("SECRETS_FILE", `(${file}) cannot be read: it is not a JSON object`);
  }
  return parsed as Env;
}

// Secrets come from the environment or, for the zero-config demo, from the
// git-ignored file that `npm run demo` generates. Never from a built-in default:
// a secret shipped in the repository would be known to everyone.
export function secretsFilePath(env: Env = process.env, cwd = process.cwd()): string {
  return path.resolve(cwd, read(env, "SECRETS_FILE") ?? DEFAULT_SECRETS_FILE);
}

export function readSecrets(env: Env = process.env, cwd = process.cwd()): Secrets {
  const file = secretsFilePath(env, cwd);
  const fromEnv = read(env, "AUTH_SECRET") !== undefined || read(env, "SESSION_PASSWORDS") !== undefined;
  let source: Env = env;
  if (!fromEnv) {
    if (!existsSync(/*turbopackIgnore: true*/ file)) {
      throw new ConfigError(
        "AUTH_SECRET",
        `is not set and ${file} does not exist: set AUTH_SECRET and SESSION_PASSWORDS, or run \`npm run demo\` once to generate that file`,
      );
    }
    source = readSecretsFile(file);
  }
  const authSecret = read(source, "AUTH_SECRET");
  if (authSecret === undefined || authSecret.length < MIN_SECRET_LENGTH) {
    throw new ConfigError("AUTH_SECRET", `must be set and at least ${MIN_SECRET_LENGTH} characters`);
  }
  const rawPasswords = read(source, "SESSION_PASSWORDS");
  if (rawPasswords === undefined) throw new ConfigError("SESSION_PASSWORDS", "must be set when AUTH_SECRET is");
  return {
    authSecret,
    sessionPasswords: parseSessionPasswords(rawPasswords),
    introspectionClients: parseIntrospectionClients(read(source, "INTROSPECTION_CLIENTS")),
    source: fromEnv ? "env" : "file",
  };
}

// "resource-server:<secret>,billing:<secret>". A client id is what RFC 6749
// §2.3.1 lets through Basic authentication unencoded; each secret is long
// enough that guessing it is hopeless, so failures are not throttled.
export function parseIntrospectionClients(raw: string | undefined): Record<string, string> {
  const clients: Record<string, string> = {};
  for (const entry of raw?.split(",") ?? []) {
    const colon = entry.indexOf(":");
    const id = entry.slice(0, colon).trim();
    const secret = entry.slice(colon + 1).trim();
    if (colon < 1 || !/^[a-z0-9][a-z0-9._-]{0,63}$/.test(id)) {
      throw new ConfigError("INTROSPECTION_CLIENTS", "needs entries of the form client-id:secret (ids: a-z 0-9 . _ -)");
    }
    if (secret.length < MIN_SECRET_LENGTH) {
      throw new ConfigError(
        "INTROSPECTION_CLIENTS",
        `has a secret shorter than ${MIN_SECRET_LENGTH} characters (${id})`,
      );
    }
    clients[id] = secret;
  }
  return clients;
}

function readThrottle(env: Env, freeVariable: string, freeDefault: number, maxDelayMs?: number): ThrottlePolicy {
  return {
    freeFailures: readInt(env, freeVariable, freeDefault, 1, 10_000),
    baseDelayMs: readDuration(env, "THROTTLE_BASE_DELAY", 1000, 1, 3_600_000),
    maxDelayMs: maxDelayMs ?? readDuration(env, "THROTTLE_MAX_DELAY", 15 * 60_000, 1000, 86_400_000),
    forgetAfterMs: readDuration(env, "THROTTLE_FORGET_AFTER", 60 * 60_000, 1000, 7 * 86_400_000),
  };
}

function readThrottles(env: Env): Config["throttle"] {
  return {
    account: readThrottle(env, "THROTTLE_ACCOUNT_FREE_FAILURES", 5),
    ip: readThrottle(env, "THROTTLE_IP_FREE_FAILURES", 50),
    accountWide: readThrottle(
      env,
      "THROTTLE_ACCOUNT_WIDE_FREE_FAILURES",
      50,
      readDuration(env, "THROTTLE_ACCOUNT_WIDE_MAX_DELAY", 5000, 1, 60_000),
    ),
    signinNetwork: readRate(env, "THROTTLE_SIGNIN_NETWORK", 100, 1000),
    register: readRate(env, "THROTTLE_REGISTER", 10, 5 * 60_000),
    registerNetwork: readRate(env, "THROTTLE_REGISTER_NETWORK", 50, 30_000),
    throwawayCaller: readRate(env, "THROTTLE_THROWAWAY", 5, 60_000),
    throwawayIp: readRate(env, "THROTTLE_THROWAWAY_IP", 20, 30_000),
    switchCaller: readRate(env, "THROTTLE_SWITCH", 10, 6000),
    switchIp: readRate(env, "THROTTLE_SWITCH_IP", 30, 2000),
  };
}

// <PREFIX>_FREE: uses at once; <PREFIX>_INTERVAL: one more regained this often.
function readRate(env: Env, prefix: string, burst: number, intervalMs: number): RatePolicy {
  return {
    burst: readInt(env, `${prefix}_FREE`, burst, 1, 100_000),
    intervalMs: readDuration(env, `${prefix}_INTERVAL`, intervalMs, 1, 86_400_000),
  };
}

function readSessionPolicy(env: Env): SessionPolicy {
  const idleTimeoutMs = readDuration(env, "SESSION_IDLE_TIMEOUT", 30 * 60_000, 1000, 30 * 86_400_000);
  const absoluteTimeoutMs = readDuration(env, "SESSION_ABSOLUTE_TIMEOUT", 8 * 3_600_000, 1000, 400 * 86_400_000);
  if (absoluteTimeoutMs < idleTimeoutMs) {
    throw new ConfigError("SESSION_ABSOLUTE_TIMEOUT", "must not be shorter than SESSION_IDLE_TIMEOUT");
  }
  return { idleTimeoutMs, absoluteTimeoutMs, renewIntervalMs: Math.min(60_000, Math.floor(idleTimeoutMs / 2)) };
}

export function readBool(env: Env, name: string, fallback: boolean): boolean {
  const raw = read(env, name)?.toLowerCase();
  if (raw === undefined) return fallback;
  if (["1", "true", "on", "yes"].includes(raw)) return true;
  if (["0", "false", "off", "no"].includes(raw)) return false;
  throw new ConfigError(name, `must be true or false (got "${raw}")`);
}

function readJwtPolicy(env: Env, issuer: string): JwtPolicy {
  const policy = readJwtSettings(env, issuer);
  if (policy.refreshFamilyTtlMs < policy.refreshTokenTtlMs) {
    throw new ConfigError("REFRESH_FAMILY_TTL", "must not be shorter than REFRESH_TOKEN_TTL");
  }
  return policy;
}

function readJwtSettings(env: Env, issuer: string): JwtPolicy {
  const algorithm = read(env, "JWT_ALG") ?? "ES256";
  if (algorithm !== "ES256" && algorithm !== "EdDSA") {
    throw new ConfigError("JWT_ALG", `must be ES256 or EdDSA (got "${algorithm}")`);
  }
  return {
    algorithm,
    issuer,
    audience: read(env, "JWT_AUDIENCE") ?? "session-vs-jwt-api",
    accessTokenTtlMs: readDuration(env, "ACCESS_TOKEN_TTL", 5 * 60_000, 1000, 86_400_000),
    refreshTokenTtlMs: readDuration(env, "REFRESH_TOKEN_TTL", 14 * 86_400_000, 60_000, 400 * 86_400_000),
    refreshFamilyTtlMs: readDuration(env, "REFRESH_FAMILY_TTL", 30 * 86_400_000, 60_000, 400 * 86_400_000),
    refreshReuseGraceMs: readDuration(env, "REFRESH_REUSE_GRACE", 30_000, 0, 60_000),
    clockToleranceSeconds: 5,
    denylistDefault: readBool(env, "JWT_DENYLIST", false),
    jwksMaxAgeMs: readDuration(env, "JWKS_MAX_AGE", 60_000, 0, 86_400_000),
    dpopNonce: readBool(env, "DPOP_NONCE", false),
  };
}

const LOOPBACK_HOST = /^(localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\])$/;

// An origin only: the issuer must compare equal byte for byte wherever it is
// checked, and it is the base of every URL in the discovery document. https,
// except on this machine (RFC 8414 §2 wants https; a demo on localhost has none).
function readOrigin(env: Env, name: string, fallback: string): string {
  const raw = read(env, name);
  if (raw === undefined) return fallback;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, `is not a URL (got "${raw}")`);
  }
  if (url.pathname !== "/" || url.search || url.hash || url.username || url.password) {
    throw new ConfigError(name, `must be an origin with no path, like https://auth.example.com (got "${raw}")`);
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && LOOPBACK_HOST.test(url.hostname))) {
    throw new ConfigError(name, `must start with https:// (http:// only for localhost; got "${raw}")`);
  }
  return url.origin;
}

// An IP address, or localhost; a host name would listen wherever DNS says.
export function readHost(env: Env): string | null {
  const raw = read(env, "HOST");
  if (raw === undefined) return null;
  const host = raw.replace(/^\[(.*)\]$/, "$1");
  if (host !== "localhost" && isIP(host) === 0) {
    throw new ConfigError(
      "HOST",
      `must be an IP address to listen on, such as 127.0.0.1, 0.0.0.0 or :: (got "${raw}")`,
    );
  }
  return host;
}

// Only this machine can connect: 127.0.0.0/8, ::1, localhost.
export function isLoopbackHost(host: string | null): boolean {
  return host !== null && (host === "localhost" || host === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host));
}

export function loadConfig(env: Env = process.env, cwd = process.cwd()): Config {
  const port = readInt(env, "PORT", 3000, 1, 65_535);
  const publicUrl = readOrigin(env, "PUBLIC_URL", `http://localhost:${port}`);
  return {
    port,
    host: readHost(env),
    demoControls: readBool(env, "DEMO_CONTROLS", false),
    storeQueryCounts: readBool(env, "STORE_QUERY_COUNTS", false),
    publicUrl,
    resourceServerUrl:
      read(env, "RESOURCE_SERVER_URL") === undefined ? null : readOrigin(env, "RESOURCE_SERVER_URL", ""),
    session: readSessionPolicy(env),
    jwt: readJwtPolicy(env, publicUrl),
    database: readDatabaseConfig(env, cwd),
    secrets: readSecrets(env, cwd),
    bcryptCost: readInt(env, "BCRYPT_COST", 12, 4, 15),
    passwordWorkers:
      read(env, "PASSWORD_WORKERS") === undefined ? undefined : readInt(env, "PASSWORD_WORKERS", 1, 1, 64),
    trustedProxies: readInt(env, "TRUSTED_PROXIES", 0, 0, 10),
    throttle: readThrottles(env),
    scenarioRuns: {
      perUser: readInt(env, "SCENARIO_RUNS_PER_USER", 3, 1, 1000),
      perAddress: readInt(env, "SCENARIO_RUNS_PER_ADDRESS", 3, 1, 1000),
    },
    passwordQueueLimit:
      read(env, "PASSWORD_QUEUE_LIMIT") === undefined ? undefined : readInt(env, "PASSWORD_QUEUE_LIMIT", 1, 1, 10_000),
    pruneIntervalMs: readDuration(env, "PRUNE_INTERVAL", 10 * 60_000, 1000, 86_400_000),
    auditRetentionMs: readDuration(env, "AUDIT_RETENTION", 90 * 86_400_000, 86_400_000, 3650 * 86_400_000),
    benchResultsFile: path.resolve(cwd, read(env, "BENCH_RESULTS_FILE") ?? DEFAULT_BENCH_RESULTS_FILE),
    // 30 s: short enough to watch a revocation take effect in one lab run
    // (Better Auth's cookie cache defaults to 300 s, Clerk's session token to 60 s).
    lab: {
      cookieCacheTtlMs: readDuration(env, "LAB_COOKIE_CACHE_TTL", 30_000, 1000, 86_400_000),
      // How long a lab run replays a revoked credential before it reports
      // "still accepted": past the default cache lifetime, short of a JWT's 5 minutes.
      revocationWatchMs: readDuration(env, "LAB_REVOCATION_WATCH", 60_000, 1000, 120_000),
    },
  };
}

let cached: Config | undefined;

export function config(): Config {
  cached ??= loadConfig();
  return cached;
}
