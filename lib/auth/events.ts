// The audit log: who did what, how, from where. Writes never throw: a failed
// audit write is reported on the server console but does not fail sign-in.
import { db } from "@/lib/db";
import type { ClientInfo } from "@/lib/http";

export type AuthEventType =
  | "register"
  | "register.throttled"
  | "throttle.lockout"
  | "throttle.account_slowed"
  | "signin.ok"
  | "signin.failed"
  | "signin.throttled"
  | "signout"
  | "session.expired"
  | "session.revoked"
  | "session.revoked_all"
  | "password.changed"
  | "token.issued"
  | "token.refreshed"
  | "token.revoked"
  | "token.invalid"
  | "refresh.reuse_detected"
  | "code.issued"
  | "code.reused"
  | "keys.rotated";

export type Mechanism = "session" | "jwt";

export type AuthEventInput = {
  type: AuthEventType;
  userId?: string | null;
  mechanism?: Mechanism | null;
  client?: ClientInfo;
  detail?: Record<string, string | number | boolean | null>;
};

export async function recordEvent(event: AuthEventInput): Promise<void> {
  try {
    await db().authEvent.create({
      data: {
        type: event.type,
        userId: event.userId ?? null,
        mechanism: event.mechanism ?? null,
        ip: event.client?.ip ?? null,
        userAgent: event.client?.userAgent ?? null,
        detail: event.detail ? JSON.stringify(event.detail) : null,
      },
    });
  } catch (error) {
    console.error("[audit] could not record event", event.type, error);
  }
}

const lastLogged = new Map<string, number>();
const MAX_TRACKED_KEYS = 10_000;

// For events an attacker can trigger at will (refused attempts, bad tokens):
// at most one per key per interval in this process, so the audit log cannot
// be flooded. The first of a burst is always recorded.
export async function recordEventAtMostEvery(key: string, intervalMs: number, event: AuthEventInput, now = Date.now()) {
  const last = lastLogged.get(key);
  if (last !== undefined && now - last < intervalMs) return;
  if (lastLogged.size >= MAX_TRACKED_KEYS) lastLogged.clear();
  lastLogged.set(key, now);
  await recordEvent(event);
}

export function listEventsForUser(userId: string, limit = 50) {
  return db().authEvent.findMany({ where: { userId }, orderBy: { id: "desc" }, take: limit });
}
