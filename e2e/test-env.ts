import { existsSync } from "node:fs";

// Test-harness settings (not the app's): which database the test servers
// use and where a browser is. scripts/test.ts sets E2E_DATABASE_URL for the
// PostgreSQL run. Debian's Chromium is used when present, since Playwright's
// own browser download is not available offline.
export const port = Number(process.env.E2E_PORT ?? 3100);
// The main test server, as a browser names it.
export const origin = `http://localhost:${port}`;
// A second server on the same database with an 8-second idle limit (for the
// idle-expiry test), 5-second access tokens (for the several-tabs test),
// DEMO_CONTROLS=off and no benchmark result.
export const SHORT_IDLE_PORT = port + 1;
// resource-server/, started beside the main test server (scripts/serve-test.ts).
export const RESOURCE_SERVER_URL = `http://localhost:${port + 98}`;
export const databaseUrl = process.env.E2E_DATABASE_URL ?? "file:./data/test/e2e.db";
export const chromiumPath =
  process.env.CHROMIUM_PATH ?? (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);

// npm test writes it with a short `npm run bench` before Playwright runs;
// `npm run screenshots` shows the committed results instead.
export const BENCH_RESULTS_FILE = process.env.E2E_BENCH_RESULTS_FILE ?? "data/test/bench.json";

export const COOKIE_PASSWORD = "e2e-cookie-password-0123456789abcdefghij";
// The id the demo's resource server uses (scripts/resource-server.ts).
export const INTROSPECTION_CLIENT = { id: "resource-server", secret: "e2e-introspection-secret-0123456789abcdef" };

export const TEST_SERVER_ENV = {
  PORT: String(port),
  // Both test servers are one deployment: one issuer.
  PUBLIC_URL: `http://localhost:${port}`,
  RESOURCE_SERVER_URL,
  DATABASE_URL: databaseUrl,
  AUTH_SECRET: "e2e-auth-secret-0123456789abcdefghijklmnopq",
  SESSION_PASSWORDS: `1:${COOKIE_PASSWORD}`,
  INTROSPECTION_CLIENTS: `${INTROSPECTION_CLIENT.id}:${INTROSPECTION_CLIENT.secret}`,
  BCRYPT_COST: "4",
  // Nearly every test comes from 127.0.0.1: keep the per-address limits out
  // of the way (they are tested from other loopback addresses on servers of
  // their own in e2e/api/client-address.spec.ts, and in lib/auth/throttle.db.test.ts).
  THROTTLE_IP_FREE_FAILURES: "10000",
  THROTTLE_SIGNIN_NETWORK_FREE: "10000",
  THROTTLE_REGISTER_FREE: "10000",
  THROTTLE_REGISTER_NETWORK_FREE: "10000",
  THROTTLE_THROWAWAY_FREE: "10000",
  THROTTLE_THROWAWAY_IP_FREE: "10000",
  // Every test flips switches from 127.0.0.1; each test's own caller still has its own limit.
  THROTTLE_SWITCH_IP_FREE: "10000",
  SCENARIO_RUNS_PER_ADDRESS: "1000",
  // Tests that race many sign-ins at once; the queue's bound has its own
  // server in e2e/api/client-address.spec.ts.
  PASSWORD_QUEUE_LIMIT: "1000",
  BENCH_RESULTS_FILE,
  // A scheduled key rotation waits the JWKS's max-age (+ 6 s): kept short here.
  JWKS_MAX_AGE: "2s",
  // The strategies lab's cookie cache goes stale within a test.
  LAB_COOKIE_CACHE_TTL: "3s",
  // A lab run watches each revoked credential this long (past the cache's 3 s).
  LAB_REVOCATION_WATCH: "6s",
  // The main test server is a demo (the dashboard's switches are tested);
  // the second one keeps the default, off.
  DEMO_CONTROLS: "on",
};
