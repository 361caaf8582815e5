// The server's side of the several-tabs experiment, which runs in the
// dashboard's page (components/dashboard/tabs/): hidden tabs sign in to a
// throwaway account with the real token endpoint and refresh through the
// real refresh endpoint; this module only makes that account and reports
// what the database saw of its refresh families. The account belongs to
// whoever started it (their session or token family, not their user: the
// demo account is one user for every visitor), which its email records, so
// any instance can check it without a table of its own.
import "server-only";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { hashPassword } from "@/lib/auth/password";
import { db } from "@/lib/db";
import type { Result } from "@/lib/errors";

const DOMAIN = "@scenario.invalid";
// An account left behind (a closed tab, a lost connection) goes with the
// next run anyone starts.
const LEFT_BEHIND_MS = 15 * 60_000;

const prefixOf = (callerKey: string) =>
  `several-tabs.${createHash("sha256").update(callerKey).digest("hex").slice(0, 20)}.`;

export type TabsAccount = { id: string; email: string; password: string };

// A new account for this caller, their previous one and anyone's stale ones gone.
export async function startSeveralTabs(callerKey: string, now = new Date()): Promise<TabsAccount> {
  const prefix = prefixOf(callerKey);
  await db().user.deleteMany({
    where: {
      OR: [
        { email: { startsWith: prefix } },
        { email: { startsWith: "several-tabs." }, createdAt: { lt: new Date(now.getTime() - LEFT_BEHIND_MS) } },
      ],
    },
  });
  const email = `${prefix}${randomUUID()}${DOMAIN}`;
  const password = randomBytes(18).toString("base64url");
  const user = await db().user.create({ data: { email, passwordHash: await hashPassword(password) } });
  return { id: user.id, email, password };
}

export type TabsFamily = {
  client_id: string;
  created_at: string;
  // Refresh tokens spent by a rotation: one per refresh that got a new one.
  rotations: number;
  // Answers that handed a spent token's successor out again (the grace window).
  answered_again: number;
  revoked_reason: string | null;
};

const NOT_YOURS = { code: "not_found", description: "No such experiment of yours." } as const;

async function ownedAccount(callerKey: string, accountId: string) {
  const user = await db().user.findUnique({ where: { id: accountId }, select: { id: true, email: true } });
  return user?.email.startsWith(prefixOf(callerKey)) ? user : null;
}

// Its families in the order they were signed in, as the database has them.
export async function describeSeveralTabs(callerKey: string, accountId: string): Promise<Result<TabsFamily[]>> {
  const user = await ownedAccount(callerKey, accountId);
  if (!user) return { ok: false, error: NOT_YOURS };
  const [families, replays] = await Promise.all([
    db().refreshFamily.findMany({
      where: { userId: user.id },
      orderBy: { createdAt: "asc" },
      include: { _count: { select: { tokens: { where: { spentAt: { not: null } } } } } },
    }),
    db().authEvent.findMany({
      where: { userId: user.id, type: "token.refreshed", detail: { contains: '"replayed":true' } },
      select: { detail: true },
    }),
  ]);
  return {
    ok: true,
    value: families.map((family) => ({
      client_id: family.clientId,
      created_at: family.createdAt.toISOString(),
      rotations: family._count.tokens,
      answered_again: replays.filter((event) => event.detail?.includes(`"family":"${family.id}"`)).length,
      revoked_reason: family.revokedReason,
    })),
  };
}

export async function endSeveralTabs(callerKey: string, accountId: string): Promise<Result<null>> {
  const user = await ownedAccount(callerKey, accountId);
  if (!user) return { ok: false, error: NOT_YOURS };
  await db().user.delete({ where: { id: user.id } });
  return { ok: true, value: null };
}
