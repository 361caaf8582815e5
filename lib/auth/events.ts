// The audit log: who did what, how, from where. Writes never throw: a failed
// audit write is reported on the server console but does not fail sign-in.
import { db } from "@/lib/db";
import type { ClientInfo } from "@/lib/http";

export type AuthEventType = "register" | "throttle.lockout";

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

export function listEventsForUser(userId: string, limit = 50) {
  return db().authEvent.findMany({ where: { userId }, orderBy: { id: "desc" }, take: limit });
}
