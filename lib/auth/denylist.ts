// Denylist mode: when on, every access-token check also looks the token's
// jti up among revoked ones, so revocation is immediate instead of waiting
// for exp. The switch lives in the database so every instance follows it;
// each process re-reads it at most every two seconds, not per request.
import { config } from "@/lib/config";
import { db } from "@/lib/db";
import { isDatabaseUnavailable } from "@/lib/faults";

const KEY = "jwt.denylist";
const CACHE_MS = 2000;
let cached: { enabled: boolean; at: number } | null = null;

// If the switch cannot be read, the last known value stands: with the
// denylist off, JWT checks keep working through a database outage; with it
// on, the jti lookup itself then fails closed.
export async function isDenylistEnabled(now = Date.now()): Promise<boolean> {
  if (cached && now - cached.at < CACHE_MS) return cached.enabled;
  try {
    const row = await db().setting.findUnique({ where: { key: KEY } });
    cached = { enabled: row ? row.value === "on" : config().jwt.denylistDefault, at: now };
  } catch (error) {
    if (!isDatabaseUnavailable(error)) throw error;
    return cached?.enabled ?? config().jwt.denylistDefault;
  }
  return cached.enabled;
}

export async function setDenylistEnabled(enabled: boolean): Promise<void> {
  const value = enabled ? "on" : "off";
  await db().setting.upsert({ where: { key: KEY }, create: { key: KEY, value }, update: { value } });
  cached = { enabled, at: Date.now() };
}
