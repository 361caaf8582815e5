// One account, every device: its browser sessions and its live refresh
// families (API clients, the dashboard's browser client), in one list, and
// ending one or all of them. Ending a session deletes its record, so its
// cookie is refused at its next request; ending a token device revokes its
// family, so its refresh token is refused at once and, in denylist mode,
// its access tokens too (lib/auth/denylist.ts). With denylist mode off an
// ended device's access token keeps working until it expires, and the
// list says until when.
import { config } from "@/lib/config";
import { db } from "@/lib/db";
import { isDenylistEnabled } from "@/lib/auth/denylist";
import { recordEvent } from "@/lib/auth/events";
import { revokeFamily, revokeUserFamilies } from "@/lib/auth/refresh";
import { invalidateUserSession, invalidateUserSessions, listUserSessions } from "@/lib/auth/session";
import type { ClientInfo } from "@/lib/http";

export type DeviceKind = "session" | "token";

// Which device the request itself came from.
export type CurrentDevice = { kind: DeviceKind; id: string };

export type Device = {
  id: string;
  kind: DeviceKind;
  // The OAuth client of a token device ("api", "browser"); null for a session.
  client_id: string | null;
  created_at: string;
  last_used_at: string;
  ip: string | null;
  user_agent: string | null;
  current: boolean;
};

// A token device ended while denylist mode is off: its last access token
// still works until `access_token_valid_until`.
export type EndedTokenDevice = Omit<Device, "current"> & { ended_at: string; access_token_valid_until: string };

// How long after it is issued an access token is accepted: its lifetime
// plus the verifier's clock tolerance.
function acceptedForMs(): number {
  const { accessTokenTtlMs, clockToleranceSeconds } = config().jwt;
  return accessTokenTtlMs + clockToleranceSeconds * 1000;
}

const acceptedUntil = (issuedAt: Date) => new Date(issuedAt.getTime() + acceptedForMs());

// A family that can still refresh: not revoked, its newest token unspent and unexpired.
const live = (now: Date) => ({ revokedAt: null, tokens: { some: { spentAt: null, expiresAt: { gt: now } } } });

type FamilyRow = {
  id: string;
  clientId: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  ip: string | null;
  userAgent: string | null;
};

function tokenDevice(row: FamilyRow) {
  return {
    id: row.id,
    kind: "token" as const,
    client_id: row.clientId,
    created_at: row.createdAt.toISOString(),
    last_used_at: (row.lastUsedAt ?? row.createdAt).toISOString(),
    ip: row.ip,
    user_agent: row.userAgent,
  };
}

export async function listUserDevices(userId: string, current: CurrentDevice, now = new Date()): Promise<Device[]> {
  const [sessions, families] = await Promise.all([
    listUserSessions(userId, now),
    db().refreshFamily.findMany({ where: { userId, ...live(now) } }),
  ]);
  const devices: Device[] = [
    ...sessions.map((session) => ({
      id: session.id,
      kind: "session" as const,
      client_id: null,
      created_at: session.createdAt.toISOString(),
      last_used_at: session.lastSeenAt.toISOString(),
      ip: session.ip,
      user_agent: session.userAgent,
      current: current.kind === "session" && current.id === session.id,
    })),
    ...families.map((family) => ({
      ...tokenDevice(family),
      current: current.kind === "token" && current.id === family.id,
    })),
  ];
  return devices.sort((a, b) => b.last_used_at.localeCompare(a.last_used_at));
}

// Token devices ended whose access tokens still work: none in denylist mode.
export async function listEndedTokenDevices(userId: string, now = new Date()): Promise<EndedTokenDevice[]> {
  if (await isDenylistEnabled()) return [];
  const families = await db().refreshFamily.findMany({
    where: { userId, revokedAt: { not: null }, lastUsedAt: { gt: new Date(now.getTime() - acceptedForMs()) } },
    orderBy: { revokedAt: "desc" },
  });
  return families.map((family) => ({
    ...tokenDevice(family),
    ended_at: family.revokedAt!.toISOString(),
    access_token_valid_until: acceptedUntil(family.lastUsedAt!).toISOString(),
  }));
}

export type Ended = { kind: DeviceKind; id: string; access_token_valid_until: string | null };

// One device of this account (`only`: of that kind); null when the id is
// not one of its live devices (another account's, ended already, or made up).
export async function endUserDevice(
  userId: string,
  id: string,
  client: ClientInfo,
  options: { only?: DeviceKind; now?: Date } = {},
): Promise<Ended | null> {
  const now = options.now ?? new Date();
  if (options.only !== "token" && (await invalidateUserSession(userId, id))) {
    await recordEvent({ type: "session.revoked", userId, mechanism: "session", client, detail: { session: id } });
    return { kind: "session", id, access_token_valid_until: null };
  }
  if (options.only === "session") return null;
  const family = await db().refreshFamily.findFirst({
    where: { id, userId, ...live(now) },
    select: { lastUsedAt: true },
  });
  if (!family) return null;
  if (!(await revokeFamily(id, "device_ended", now))) return null;
  await recordEvent({ type: "token.revoked", userId, mechanism: "jwt", client, detail: { family: id, by: "device" } });
  const stillWorks = !(await isDenylistEnabled()) && family.lastUsedAt !== null;
  return {
    kind: "token",
    id,
    access_token_valid_until: stillWorks ? acceptedUntil(family.lastUsedAt!).toISOString() : null,
  };
}

// Every device of the account, the caller's included.
export async function endAllUserDevices(userId: string, client: ClientInfo, now = new Date()) {
  const sessions = await invalidateUserSessions(userId);
  const families = await revokeUserFamilies(userId, "signed_out_everywhere", now);
  await recordEvent({
    type: "session.revoked_all",
    userId,
    mechanism: "session",
    client,
    detail: { revoked: sessions, revokedFamilies: families },
  });
  return { sessions, families };
}
