// Creating accounts. One function serves the JSON API, the /register form and
// the dashboard's throwaway accounts.
import { isUniqueViolation } from "@/lib/database-errors";
import { db } from "@/lib/db";
import { CredentialsShape, type Credentials } from "@/lib/auth/credentials";
import {
  checkEmail,
  checkPasswordPolicy,
  hashPassword,
  isPasswordWorkBusy,
  PASSWORD_WORK_BUSY,
} from "@/lib/auth/password";
import { recordEvent, recordEventAtMostEvery } from "@/lib/auth/events";
import { takeRates, type RateKey } from "@/lib/auth/rate-limit";
import { registrationKeys } from "@/lib/auth/throttle";
import { throttledError, type AppError, type Result } from "@/lib/errors";
import type { ClientInfo } from "@/lib/http";

export type PublicUser = { id: string; email: string };

// Shape first (both strings), then the policies, so each field gets exactly
// one message a person can act on.
export function parseCredentials(input: unknown): Result<Credentials> {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    return {
      ok: false,
      error: { code: "invalid_request", description: "Send a JSON object with email and password." },
    };
  }
  const shape = CredentialsShape.safeParse(input);
  const fields: Record<string, string> = {};
  if (!shape.success) {
    for (const issue of shape.error.issues) fields[String(issue.path[0])] ??= issue.message;
  }
  const raw = input as Record<string, unknown>;
  const email = typeof raw.email === "string" ? checkEmail(raw.email) : null;
  const password = typeof raw.password === "string" ? checkPasswordPolicy(raw.password) : null;
  if (email && !email.ok) fields.email = email.error.description;
  if (password && !password.ok) fields.password = password.error.description;
  if (!email?.ok || !password?.ok) {
    return { ok: false, error: { code: "invalid_request", description: "Some fields are not valid.", fields } };
  }
  return { ok: true, value: { email: email.value, password: password.value } };
}

const EMAIL_TAKEN: AppError = {
  code: "email_taken",
  description: "An account with this email already exists.",
  fields: { email: "An account with this email already exists. Sign in instead." },
};

export async function registerUser(input: unknown, client: ClientInfo): Promise<Result<PublicUser>> {
  const parsed = parseCredentials(input);
  if (!parsed.ok) return parsed;
  return createAccount(parsed.value, client);
}

// A new account, at the price of a registration: each costs a bcrypt hash,
// so each takes a use of an allowance: by default the registration limits
// per address and network, whoever asks (the register form and API, a
// visitor's throwaway account); a signed-in visitor's throwaway accounts
// pass their own (lib/auth/throttle.ts, throwawayKeys). `hashCost` is lower
// only for generated passwords of 144 random bits, which stretching would
// not protect further.
export async function createAccount(
  { email, password }: Credentials,
  client: ClientInfo,
  { hashCost, allowance = registrationKeys(client) }: { hashCost?: number; allowance?: RateKey[] } = {},
): Promise<Result<PublicUser>> {
  const throttle = await takeRates(allowance);
  if (throttle.throttled) {
    await recordEventAtMostEvery(`register.throttled:${client.ip}`, 60_000, {
      type: "register.throttled",
      client,
      detail: { scope: throttle.scope },
    });
    const what =
      throttle.scope === "caller"
        ? "Too many throwaway accounts for this sign-in."
        : "Too many registrations from your network.";
    return { ok: false, error: throttledError(what, throttle.retryAfterSeconds) };
  }
  // Hashed even when the email turns out to be taken; the unique index
  // decides, not a prior lookup, so two simultaneous registrations of one
  // email cannot both succeed. Refused as busy, the use stays taken: the
  // sender's share of the queue was full (lib/auth/bcrypt-pool.ts).
  let passwordHash: string;
  try {
    passwordHash = await hashPassword(password, { cost: hashCost, client });
  } catch (error) {
    if (!isPasswordWorkBusy(error)) throw error;
    return { ok: false, error: PASSWORD_WORK_BUSY };
  }
  try {
    const user = await db().user.create({ data: { email, passwordHash }, select: { id: true, email: true } });
    await recordEvent({ type: "register", userId: user.id, client });
    return { ok: true, value: user };
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, error: EMAIL_TAKEN };
    throw error;
  }
}
