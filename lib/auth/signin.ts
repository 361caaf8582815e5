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
  throttleKeys,
} from "@/lib/auth/throttle";
import { recordEvent, recordEventAtMostEvery, type Mechanism } from "@/lib/auth/events";
import type { SessionUser } from "@/lib/auth/session";
import { throttledError, type AppError, type Result } from "@/lib/errors";
import type { ClientInfo } from "@/lib/http";

export const INVALID_CREDENTIALS: AppError = { code: "invalid_grant", description: "Email or password is incorrect." };

export async function verifyCredentials(
  input: unknown,
  client: ClientInfo,
  mechanism: Mechanism,
): Promise<Result<SessionUser>> {
  const parsed = CredentialsShape.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      error: { code: "invalid_request", description: "Send a JSON object with string email and password." },
    };
  }
  const email = normalizeEmail(parsed.data.email);
  const keys = throttleKeys(email, client);

  const throttle = await reserveAttempt(keys);
  if (throttle.throttled) {
    // One event per client address a minute: keyed on what an attacker
    // cannot vary freely (not the email, which they can).
    await recordEventAtMostEvery(`signin.throttled:${client.ip}`, 60_000, {
      type: "signin.throttled",
      mechanism,
      client,
      detail: { scope: throttle.scope, retryAfterSeconds: throttle.retryAfterSeconds },
    });
    return { ok: false, error: throttledError("Too many failed sign-ins.", throttle.retryAfterSeconds) };
  }

  const accountKey = accountWideKey(email);
  const slowdownMs = await countAccountAttempt(accountKey);
  if (slowdownMs > 0) await new Promise((resolve) => setTimeout(resolve, slowdownMs));

  const user = await db().user.findUnique({ where: { email }, select: { id: true, email: true, passwordHash: true } });
  // A password bcrypt would truncate can never be right (registration refuses
  // them), but it still costs one comparison, like every other attempt.
  const fits = passwordByteLength(parsed.data.password) <= PASSWORD_MAX_BYTES;
  let matches: boolean;
  try {
    matches = await verifyPassword(parsed.data.password, fits ? (user?.passwordHash ?? null) : null);
  } catch (error) {
    if (!isPasswordWorkBusy(error)) throw error;
    // Not judged, so not counted against anyone.
    await releaseAttempt(throttle.reservation);
    await giveBackAccountAttempt(accountKey);
    return { ok: false, error: PASSWORD_WORK_BUSY };
  }
  if (!matches || !user) {
    await noteFailure(throttle.reservation, client);
    await recordEvent({ type: "signin.failed", userId: user?.id ?? null, mechanism, client });
    return { ok: false, error: INVALID_CREDENTIALS };
  }
  await noteSuccess(throttle.reservation);
  await giveBackAccountAttempt(accountKey);
  await recordEvent({ type: "signin.ok", userId: user.id, mechanism, client });
  return { ok: true, value: { id: user.id, email: user.email } };
}
