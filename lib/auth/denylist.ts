// Denylist mode: when on, every access-token check also looks the token's
// jti up among revoked ones, so revocation is immediate instead of waiting
// for exp. The switch lives in the database so every instance follows it.
// Each process reads it once, then a timer re-reads it every two seconds:
// requests never wait for it, an idle instance is as current as a busy one,
// and a database that stopped answering does not slow token checks.
import { config } from "@/lib/config";
import { db } from "@/lib/db";
import { isDatabaseUnavailable } from "@/lib/faults";
import { processState } from "@/lib/process-state";

const KEY = "jwt.denylist";
const POLL_MS = 2000;
// `writes` counts this process's own changes: a read that started before
// one must not overwrite it with the older value.
const state = processState<{
  known: boolean | null;
  writes: number;
  reading: Promise<boolean> | null;
  poller: NodeJS.Timeout | null;
}>("denylist", () => ({
  known: null,
  writes: 0,
  reading: null,
  poller: null,
}));

async function readSwitch(): Promise<boolean> {
  const writes = state.writes;
  const row = await db().setting.findUnique({ where: { key: KEY } });
  const enabled = row ? row.value === "on" : config().jwt.denylistDefault;
  if (state.writes === writes) state.known = enabled;
  return state.known ?? enabled;
}

function poll(): void {
  readSwitch().catch((error: unknown) => {
    if (!isDatabaseUnavailable(error)) console.error("[denylist] reading the switch failed:", error);
  });
}

// Through an outage the last value read stands: with the denylist off, JWT
// checks keep working; with it on, the jti lookup itself fails closed. A
// process that has never read the switch cannot know, and fails closed.
export async function isDenylistEnabled(): Promise<boolean> {
  if (state.known !== null) return state.known;
  state.reading ??= readSwitch().finally(() => {
    state.reading = null;
  });
  const enabled = await state.reading;
  state.poller ??= setInterval(poll, POLL_MS).unref();
  return enabled;
}

export async function setDenylistEnabled(enabled: boolean): Promise<void> {
  const value = enabled ? "on" : "off";
  await db().setting.upsert({ where: { key: KEY }, create: { key: KEY, value }, update: { value } });
  state.writes++;
  state.known = enabled;
}
