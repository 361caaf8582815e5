// Per-primitive costs of the auth checks, measured in-process:
//   npx tsx bench/primitives.ts            (a fresh SQLite file)
//   DATABASE_URL=postgresql://… npx tsx bench/primitives.ts
// Prints a table and, with --json, the numbers as JSON.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

// Bench-only secrets and a fresh database unless the caller chose one.
process.env.AUTH_SECRET ??= "bench-auth-secret-0123456789abcdefghijklmn";
process.env.SESSION_PASSWORDS ??= "1:bench-cookie-password-0123456789abcdefg";
process.env.DATABASE_URL ??= `file:${path.join(mkdtempSync(path.join(tmpdir(), "svj-bench-")), "bench.db")}`;

const { readDatabaseConfig } = await import("@/lib/config");
const { migrate, resetDatabase } = await import("@/scripts/db");
const { db, dbReady } = await import("@/lib/db");
const { createSession, validateSessionToken } = await import("@/lib/auth/session");
const { sealSessionToken, unsealSessionCookie } = await import("@/lib/auth/session-cookie");
const { hashPassword, verifyPassword } = await import("@/lib/auth/password");
const { issueAccessToken, verifyAccessToken } = await import("@/lib/auth/jwt");
const { setDenylistEnabled } = await import("@/lib/auth/denylist");
const { rotateRefreshToken, startRefreshFamily } = await import("@/lib/auth/refresh");

export type Primitive = { name: string; us_per_op: number; p50_us: number; p99_us: number; samples: number };

async function measure(name: string, samples: number, op: () => Promise<unknown>): Promise<Primitive> {
  for (let i = 0; i < Math.min(samples, 200); i++) await op();
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const start = process.hrtime.bigint();
    await op();
    times.push(Number(process.hrtime.bigint() - start) / 1000);
  }
  times.sort((a, b) => a - b);
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
  return { name, us_per_op: round(mean), p50_us: round(at(0.5)), p99_us: round(at(0.99)), samples };
}

const round = (n: number) => Math.round(n * 10) / 10;

const database = readDatabaseConfig();
await resetDatabase(database.url);
migrate(database.url);
await dbReady();

const user = await db().user.create({ data: { email: "bench@example.com", passwordHash: await hashPassword("bench password") } });
const { token } = await createSession(user.id, { ip: "127.0.0.1", userAgent: "bench" });
const cookie = await sealSessionToken(token);
const { token: accessToken } = await issueAccessToken(user, { clientId: "api", familyId: "bench" });
let refreshToken = (await startRefreshFamily(user.id, "api")).token;
const client = { ip: "127.0.0.1", userAgent: "bench" };

await setDenylistEnabled(false);
const jwtPlain = await measure("access-token verify (ES256)", 2000, () => verifyAccessToken(accessToken));
await setDenylistEnabled(true);
// The switch is re-read every 2 s; the jti lookup is what is measured here.
const jwtDenylist = await measure("access-token verify + denylist lookup", 2000, () => verifyAccessToken(accessToken));
await setDenylistEnabled(false);

const results = [
  jwtPlain,
  jwtDenylist,
  await measure("cookie unseal (iron-session)", 2000, () => unsealSessionCookie(cookie)),
  await measure("session lookup (one indexed read)", 2000, () => validateSessionToken(token)),
  await measure("session check (unseal + lookup)", 2000, async () => validateSessionToken((await unsealSessionCookie(cookie))!)),
  await measure("refresh rotation", 300, async () => {
    const rotated = await rotateRefreshToken(refreshToken, client);
    if (!rotated.ok) throw new Error(`rotation failed: ${rotated.reason}`);
    refreshToken = rotated.value.token;
  }),
  await measure(`password compare (bcrypt cost ${process.env.BCRYPT_COST ?? 12})`, 5, () => verifyPassword("bench password", user.passwordHash)),
];
await db().$disconnect();

if (process.argv.includes("--json")) {
  console.log(JSON.stringify({ provider: database.provider, primitives: results }, null, 2));
} else {
  console.log(`\nPrimitives on ${database.provider} (Node ${process.version})\n`);
  console.log(`${"primitive".padEnd(40)}${"mean µs".padStart(10)}${"p50 µs".padStart(10)}${"p99 µs".padStart(10)}`);
  for (const r of results) {
    console.log(`${r.name.padEnd(40)}${String(r.us_per_op).padStart(10)}${String(r.p50_us).padStart(10)}${String(r.p99_us).padStart(10)}`);
  }
}
