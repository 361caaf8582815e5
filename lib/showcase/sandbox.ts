// An account of one's own, in one click: on a shared server every visitor
// who uses the demo account shares it (its sessions, devices and limits),
// so the dashboard offers each visitor a throwaway account instead. It is a
// real account (both mechanisms, every experiment), made at the price of a
// registration and counted against the same limits; its address is under
// a domain registration refuses (RFC 6761's .invalid), and once a day old
// it is deleted, with everything it signed in, by the next one made. A
// visitor who is signed in (the dashboard's two columns) has an allowance
// of their own; anyone else's comes from the registration limits.
import "server-only";
import { randomBytes, randomUUID } from "node:crypto";
import { createAccount } from "@/lib/auth/accounts";
import { throwawayKeys } from "@/lib/auth/throttle";
import { db } from "@/lib/db";
import type { Result } from "@/lib/errors";
import type { ClientInfo } from "@/lib/http";

export const SANDBOX_EMAIL_DOMAIN = "@sandbox.invalid";
export const SANDBOX_LIFETIME_MS = 24 * 60 * 60_000;

export type SandboxAccount = { id: string; email: string; password: string; expires_at: string };

// The password is generated (144 random bits) and shown once. It is hashed
// at the configured cost all the same, so signing in to it costs what a
// person's sign-in costs, which is what the dashboard measures.
// `callerKey`: the signed-in visitor's session or token family, if any.
export async function createSandboxAccount(
  client: ClientInfo,
  callerKey: string | null,
  now = new Date(),
): Promise<Result<SandboxAccount>> {
  // Those of a day ago go first: a failure here costs nobody an account.
  await db().user.deleteMany({
    where: {
      email: { startsWith: "visitor-", endsWith: SANDBOX_EMAIL_DOMAIN },
      createdAt: { lt: new Date(now.getTime() - SANDBOX_LIFETIME_MS) },
    },
  });
  const email = `visitor-${randomUUID()}${SANDBOX_EMAIL_DOMAIN}`;
  const password = randomBytes(18).toString("base64url");
  const created = await createAccount(
    { email, password },
    client,
    callerKey ? { allowance: throwawayKeys(callerKey, client) } : {},
  );
  if (!created.ok) return created;
  return {
    ok: true,
    value: {
      id: created.value.id,
      email,
      password,
      expires_at: new Date(now.getTime() + SANDBOX_LIFETIME_MS).toISOString(),
    },
  };
}
