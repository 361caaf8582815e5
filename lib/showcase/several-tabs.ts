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
import { createAccount } from "@/lib/auth/accounts";
import { throwawayKeys } from "@/lib/auth/throttle";
import { db } from "@/lib/db";
import type { Result } from "@/lib/errors";
import type { ClientInfo } from "@/lib/http";
import { SCENARIO_EMAIL_DOMAIN } from "@/lib/showcase/demo";

// An account left behind (a closed tab, a lost connection) goes with the
// next run anyone starts.
const LEFT_BEHIND_MS = 15 * 60_000;
// The password is 144 random bits and lives for one run: stretching it
// would cost the server time and protect nothing.
const HASH_COST = 4;

const prefixOf = (callerKey: string) =>
  `several-tabs.${createHash("sha256").update(callerKey).digest("hex").slice(0, 20)}.`;

// Experiment accounts only: registration refuses the reserved domain, so no
// person's account can match.
const experimentAccounts = (prefix = "several-tabs.") => ({
  startsWith: prefix,
  endsWith: SCENARIO_EMAIL_DOMAIN,
});

export type TabsAccount = { id: string; email: string; password: string };

// A new account for this caller; then their previous one, and anyone's left
// behind, go. Each costs a use of the caller's throwaway allowance (per
// session or token family, and per address), so the experiment is no
// cheaper way to get accounts, and nobody else's registrations use it up.
export async function startSeveralTabs(
  callerKey: string,
  client: ClientInfo,
  now = new Date(),
): Promise<Result<TabsAccount>> {
  const prefix = prefixOf(callerKey);
  const email = `${prefix}${randomUUID()}${SCENARIO_EMAIL_DOMAIN}`;
  const password = randomBytes(18).toString("base64url");
  const created = await createAccount({ email, password }, client, {
    hashCost: HASH_COST,
    allowance: throwawayKeys(callerKey, client),
  });
  if (!created.ok) return created;
  const user = created.value;
  await db().user.deleteMany({
    where: {
      id: { not: user.id },
      OR: [
        { email: experimentAccounts(prefix) },
        { email: experimentAccounts(), createdAt: { lt: new Date(now.getTime() - LEFT_BEHIND_MS) } },
      ],
    },
  });
  return { ok: true, value: { id: user.id, email, password } };
}

export type TabsFamily = {
  id: string;
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
  return db().user.findFirst({
    where: { id: accountId, email: experimentAccounts(prefixOf(callerKey)) },
    select: { id: true },
  });
}

// Its families, in the order they were signed in, as the database has them.
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
      id: family.id,
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
