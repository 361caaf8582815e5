// Checking an email and password: one function for the session sign-in and
// the token endpoint, so both share the throttle, the single generic error and
// the same timing whether or not the account exists.
import { db } from "@/lib/db";
import { CredentialsShape } from "@/lib/auth/credentials";
import {
  isPasswordWorkBusy,
  normalizeEmail,
  PASSWORD_MAX_BYTES,
  PASSWORD_WORK_BUSY,
  passwordByteLength,
  verifyPassword,
} from "@/lib/auth/password";
import {
  accountWideKey,
  countAccountAttempt,
  giveBackAccountAttempt,
  noteFailure,
  noteSuccess,
  releaseAttempt,
  reserveAttempt,
  signInNetworkKeys,
  throttleKeys,
} from "@/lib/auth/throttle";
import { giveBackRates, takeRates } from "@/lib/auth/rate-limit";
import { recordEvent, recordEventAtMostEvery, type Mechanism } from "@/lib/auth/events";
import type { SessionUser } from "@/lib/auth/session";
import type { CredentialHolder } from "@/lib/auth/credential-version";
import { throttledError, type AppError, type Result } from "@/lib/errors";
import type { ClientInfo } from "@/lib/http";

export const INVALID_CREDENTIALS: AppError = { code: "invalid_grant", description: "Email or password is incorrect." };

// Who signs in, and the credential version their password was checked at:
// what a session or refresh family may be made for.
export type VerifiedUser = SessionUser & CredentialHolder;

export async function verifyCredentials(
  input: unknown,
  client: ClientInfo,
  mechanism: Mechanism,
): Promise<Result<VerifiedUser>> {
  const parsed = CredentialsShape.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      error: { code: "invalid_request", description: "Send a JSON object with string email and password." },
    };
  }
  const email = normalizeEmail(parsed.data.email);

  // The sender's network first (a rate that refills), then this account
  // from this address and this address across accounts (back-offs). An
  // attempt refused by one of them counts in none.
  const network = await takeRates(signInNetworkKeys(client));
  if (network.throttled) return refuseThrottled(network, mechanism, client);
  const throttle = await reserveAttempt(throttleKeys(email, client));
  if (throttle.throttled) {
    await giveBackRates(network.taken);
    return refuseThrottled(throttle, mechanism, client);
  }

  const accountKey = accountWideKey(email);
  const slowdownMs = await countAccountAttempt(accountKey);
  if (slowdownMs > 0) await new Promise((resolve) => setTimeout(resolve, slowdownMs));

  // The version is read with the hash: it names the password checked below.
  const user = await db().user.findUnique({
    where: { email },
    select: { id: true, email: true, passwordHash: true, credentialVersion: true },
  });
  // A password bcrypt would truncate can never be right (registration refuses
  // them), but it still costs one comparison, like every other attempt.
  const fits = passwordByteLength(parsed.data.password) <= PASSWORD_MAX_BYTES;
  let matches: boolean;
  try {
    matches = await verifyPassword(parsed.data.password, fits ? (user?.passwordHash ?? null) : null, client);
  } catch (error) {
    if (!isPasswordWorkBusy(error)) throw error;
    // The sender's share of the queue is full (lib/auth/fair-queue.ts). Not
    // judged, so not held against the account; but it counts against the
    // sender's address and network, so a flood that is refused cheaply still
    // runs into their limits instead of trying again for free.
    await releaseAttempt(throttle.reservation.filter(({ scope }) => scope === "account"));
    await giveBackAccountAttempt(accountKey);
    return { ok: false, error: PASSWORD_WORK_BUSY };
  }
  if (!matches || !user) {
    await noteFailure(throttle.reservation, client);
    await recordEvent({ type: "signin.failed", userId: user?.id ?? null, mechanism, client });
    return { ok: false, error: INVALID_CREDENTIALS };
  }
  await noteSuccess(throttle.reservation);
  await giveBackRates(network.taken);
  await giveBackAccountAttempt(accountKey);
  await recordEvent({ type: "signin.ok", userId: user.id, mechanism, client });
  return { ok: true, value: { id: user.id, email: user.email, credentialVersion: user.credentialVersion } };
}

async function refuseThrottled(
  refusal: { scope: string; retryAfterSeconds: number },
  mechanism: Mechanism,
  client: ClientInfo,
): Promise<{ ok: false; error: AppError }> {
  // One event per client address a minute: keyed on what an attacker
  // cannot vary freely (not the email, which they can).
  await recordEventAtMostEvery(`signin.throttled:${client.ip}`, 60_000, {
    type: "signin.throttled",
    mechanism,
    client,
    detail: { scope: refusal.scope, retryAfterSeconds: refusal.retryAfterSeconds },
  });
  return { ok: false, error: throttledError("Too many failed sign-ins.", refusal.retryAfterSeconds) };
}

// The password was right when checked, but was changed before the session
// or refresh family could be made: to the caller it is now wrong.
export async function refuseSupersededSignIn(
  user: { id: string },
  mechanism: Mechanism,
  client: ClientInfo,
): Promise<{ ok: false; error: AppError }> {
  await recordEvent({
    type: "signin.failed",
    userId: user.id,
    mechanism,
    client,
    detail: { reason: "password_changed" },
  });
  return { ok: false, error: INVALID_CREDENTIALS };
}
