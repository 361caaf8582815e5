// Per-primitive costs of the auth checks, measured in-process. Part of
// `npm run bench`, which gives it a fresh database; alone:
//   npm run bench:primitives                (a fresh SQLite file)
//   DATABASE_URL=postgresql://… npm run bench:primitives   (that database is emptied)
// Prints a table or, with --json, the numbers as JSON; --samples sets the
// iterations of the fast primitives.
import { createHmac } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { percentile, round } from "@/bench/load";

// Bench-only secrets and a fresh database unless the caller chose one.
process.env.AUTH_SECRET ??= "bench-auth-secret-0123456789abcdefghijklmn";
process.env.SESSION_PASSWORDS ??= "1:bench-cookie-password-0123456789abcdefg";
process.env.DATABASE_URL ??= `file:${path.join(mkdtempSync(path.join(tmpdir(), "svj-bench-")), "bench.db")}`;

const { config, readDatabaseConfig } = await import("@/lib/config");
const { migrate, resetDatabase } = await import("@/scripts/db");
const { closeDatabase, db, dbReady } = await import("@/lib/db");
const { createSession, validateSessionToken } = await import("@/lib/auth/session");
const { sealSessionToken, unsealSessionCookie } = await import("@/lib/auth/session-cookie");
const { hashPassword, verifyPassword } = await import("@/lib/auth/password");
const { issueAccessToken, verifyAccessToken } = await import("@/lib/auth/jwt");
const { setDenylistEnabled } = await import("@/lib/auth/denylist");
const { rotateRefreshToken, startRefreshFamily } = await import("@/lib/auth/refresh");

export type Primitive = {
  id: string;
  name: string;
  us_per_op: number;
  p50_us: number;
  p99_us: number;
  samples: number;
};

async function measure(id: string, name: string, samples: number, op: () => unknown): Promise<Primitive> {
  for (let i = 0; i < Math.min(samples, 200, Math.max(1, samples / 5)); i++) await op();
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const start = process.hrtime.bigint();
    await op();
    times.push(Number(process.hrtime.bigint() - start) / 1000);
  }
  times.sort((a, b) => a - b);
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  return {
    id,
    name,
    us_per_op: round(mean, 1),
    p50_us: round(percentile(times, 0.5), 1),
    p99_us: round(percentile(times, 0.99), 1),
    samples,
  };
}

// A primitive that failed would be timed as if it had worked: refuse instead.
function succeeded<T>(what: string, value: T, ok: (value: T) => boolean): T {
  if (!ok(value))
    throw new Error(`${what} did not succeed during the benchmark: ${JSON.stringify(value).slice(0, 200)}`);
  return value;
}
const verified = async (what: string, result: Promise<{ ok: boolean }>) => succeeded(what, await result, (r) => r.ok);
const valid = async (what: string, result: Promise<{ status: string }>) =>
  succeeded(what, await result, (r) => r.status === "valid");

const { values: args } = parseArgs({
  options: { json: { type: "boolean", default: false }, samples: { type: "string", default: "2000" } },
});
const samples = Math.max(10, Number(args.samples) || 2000);
const slowSamples = Math.max(5, Math.floor(samples / 8));

const database = readDatabaseConfig();
await resetDatabase(database.url);
migrate(database.url);
await dbReady();

const user = await db().user.create({
  data: { email: "bench@example.com", passwordHash: await hashPassword("bench password") },
});
const signedIn = await createSession(user, { ip: "127.0.0.1", userAgent: "bench" });
// A live family: in denylist mode a token whose family is gone is refused.
const family = await startRefreshFamily(user, "api");
// Nobody changes the password here, so neither is ever refused.
if (!signedIn || !family) throw new Error("the bench user could not be signed in");
const { token } = signedIn;
const cookie = await sealSessionToken(token);
let refreshToken = family.token;
const { token: accessToken } = await issueAccessToken(user, { clientId: "api", familyId: family.familyId });
const client = { ip: "127.0.0.1", userAgent: "bench" };

const { unsealData } = await import("iron-session");
const passwords = config().secrets.sessionPasswords;
const ttl = Math.floor(config().session.absoluteTimeoutMs / 1000);
const hmacKey = Buffer.alloc(32, 7);

// Tokens never seen before, so each verification pays the full price.
const freshTokens: string[] = [];
for (let i = 0; i < samples + Math.min(samples, 200); i++)
  freshTokens.push((await issueAccessToken(user, { clientId: "api", familyId: family.familyId })).token);

await setDenylistEnabled(false);
const jwtFirst = await measure("jwt-verify-first", "access-token verify, first sight (ES256, jose)", samples, () =>
  verified("verify", verifyAccessToken(freshTokens.pop()!)),
);
const jwtCached = await measure("jwt-verify-cached", "access-token verify, seen before (cache)", samples, () =>
  verified("verify", verifyAccessToken(accessToken)),
);
await setDenylistEnabled(true);
// The switch is re-read every 2 s; the jti lookup is what is measured here.
const jwtDenylist = await measure(
  "jwt-verify-denylist",
  "access-token verify + denylist lookup (jti and family)",
  samples,
  () => verified("verify", verifyAccessToken(accessToken)),
);
await setDenylistEnabled(false);

const results = [
  jwtFirst,
  jwtCached,
  jwtDenylist,
  await measure("unseal-first", "cookie unseal, first sight (iron-session)", samples, async () =>
    succeeded(
      "unseal",
      await unsealData<{ token?: string }>(cookie, { password: passwords, ttl }),
      (data) => data.token === token,
    ),
  ),
  await measure("unseal-cached", "cookie unseal, seen before (cache)", samples, async () =>
    succeeded("unseal", await unsealSessionCookie(cookie), (value) => value === token),
  ),
  await measure("session-lookup", "session lookup (one query: session + user)", samples, () =>
    valid("session lookup", validateSessionToken(token)),
  ),
  await measure("session-check", "session check (unseal + lookup)", samples, async () =>
    valid("session check", validateSessionToken((await unsealSessionCookie(cookie))!)),
  ),
  await measure("hmac-sha256", "HMAC-SHA256 of the cookie (the floor)", samples, () =>
    createHmac("sha256", hmacKey).update(cookie).digest(),
  ),
  await measure("refresh-rotation", "refresh rotation", slowSamples, async () => {
    const rotated = await rotateRefreshToken(refreshToken, client);
    if (!rotated.ok) throw new Error(`rotation failed: ${rotated.error.code}`);
    refreshToken = rotated.value.token;
  }),
  await measure("bcrypt-hash", `password hash (bcrypt cost ${config().bcryptCost})`, 5, () =>
    hashPassword("bench password"),
  ),
  await measure("bcrypt-compare", `password compare (bcrypt cost ${config().bcryptCost})`, 5, async () =>
    succeeded("compare", await verifyPassword("bench password", user.passwordHash), (match) => match),
  ),
];
// The driver's pool too: its idle connections would keep the process alive.
await closeDatabase();

if (args.json) {
  console.log(JSON.stringify({ provider: database.provider, primitives: results }, null, 2));
} else {
  console.log(`\nPrimitives on ${database.provider} (Node ${process.version})\n`);
  console.log(`${"primitive".padEnd(48)}${"mean µs".padStart(10)}${"p50 µs".padStart(10)}${"p99 µs".padStart(10)}`);
  for (const r of results) {
    console.log(
      `${r.name.padEnd(48)}${String(r.us_per_op).padStart(10)}${String(r.p50_us).padStart(10)}${String(r.p99_us).padStart(10)}`,
    );
  }
}
