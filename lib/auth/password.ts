// Passwords and emails: the policy (8 to 72 bytes, NIST SP 800-63B), bcrypt hashing, and a
// verification path that costs the same whether or not the account exists.
import { bcryptCompare, bcryptHash, PasswordWorkBusy } from "@/lib/auth/bcrypt-pool";
import { clientShare } from "@/lib/auth/client-networks";
import { config } from "@/lib/config";
import type { AppError, Failure, Result } from "@/lib/errors";
import type { ClientInfo } from "@/lib/http";

export const PASSWORD_MIN_BYTES = 8;
// bcrypt reads at most 72 bytes; anything longer would be silently ignored,
// so two different long passwords could match. Refuse instead.
export const PASSWORD_MAX_BYTES = 72;
export const EMAIL_MAX_LENGTH = 254;

export type PolicyError = Failure<
  "too_short" | "too_long" | "email_missing" | "email_too_long" | "email_malformed" | "email_reserved"
>;
export type PolicyResult = Result<string, PolicyError>;

const refuse = (code: PolicyError["code"], description: string) =>
  ({ ok: false, error: { code, description } }) as const;

const utf8 = new TextEncoder();

// NFKC so that the same password typed on different keyboards (composed vs
// decomposed accents, full-width digits) hashes the same (NIST SP 800-63B §5.1.1.2).
export function normalizePassword(password: string): string {
  return password.normalize("NFKC");
}

export function passwordByteLength(password: string): number {
  return utf8.encode(normalizePassword(password)).length;
}

export function checkPasswordPolicy(password: string): PolicyResult {
  const bytes = passwordByteLength(password);
  if (bytes < PASSWORD_MIN_BYTES) {
    return refuse(
      "too_short",
      `Use at least ${PASSWORD_MIN_BYTES} bytes (${PASSWORD_MIN_BYTES} plain letters or digits).`,
    );
  }
  if (bytes > PASSWORD_MAX_BYTES) {
    return refuse(
      "too_long",
      `Use at most ${PASSWORD_MAX_BYTES} bytes (this one is ${bytes}; accented letters and emoji take 2–4 bytes each). bcrypt ignores everything past byte ${PASSWORD_MAX_BYTES}.`,
    );
  }
  return { ok: true, value: normalizePassword(password) };
}

export function normalizeEmail(email: string): string {
  return email.trim().normalize("NFKC").toLowerCase();
}

// Deliberately loose (one @, a dot in the domain, no spaces or control
// characters): the only real check of an address is mail reaching it.
const EMAIL_SHAPE = /^[^\s@\p{Cc}]+@[^\s@\p{Cc}]+\.[^\s@\p{Cc}]+$/u;

export function checkEmail(email: string): PolicyResult {
  const normalized = normalizeEmail(email);
  if (normalized === "") return refuse("email_missing", "Enter your email address.");
  if (normalized.length > EMAIL_MAX_LENGTH)
    return refuse("email_too_long", `Use at most ${EMAIL_MAX_LENGTH} characters.`);
  if (!EMAIL_SHAPE.test(normalized)) return refuse("email_malformed", "Enter an email address like name@example.com.");
  // RFC 6761 §6.4: no mail can reach a name under .invalid, and the
  // dashboard's experiments make their throwaway accounts there.
  if (normalized.endsWith(".invalid"))
    return refuse("email_reserved", "That domain (.invalid) is reserved: no mail can reach it.");
  return { ok: true, value: normalized };
}

// The bcrypt queue is full (lib/auth/bcrypt-pool.ts): 503 with Retry-After.
export const PASSWORD_WORK_BUSY: AppError = {
  code: "temporarily_unavailable",
  description: "The server is busy checking other passwords; try again in a few seconds.",
};

export function isPasswordWorkBusy(error: unknown): boolean {
  return error instanceof PasswordWorkBusy;
}

// `client`: whose request it is, for the bcrypt queue's fair shares; none
// for the server's own work.
export function hashPassword(
  password: string,
  { cost = config().bcryptCost, client }: { cost?: number; client?: Pick<ClientInfo, "ip"> } = {},
): Promise<string> {
  return bcryptHash(normalizePassword(password), cost, client ? clientShare(client) : null);
}

let dummyHash: Promise<string> | undefined;

// A hash of a random password at the configured cost, made once per process,
// so an unknown email costs one full bcrypt comparison like a known one.
function getDummyHash(): Promise<string> {
  // A failed attempt is not kept: the next sign-in tries again, so unknown
  // emails do not answer differently from known ones from then on.
  dummyHash ??= hashPassword(crypto.randomUUID()).catch((error: unknown) => {
    dummyHash = undefined;
    throw error;
  });
  return dummyHash;
}

// Made at start (lib/startup.ts), so that not even the first unknown email
// of a process pays for the hash on top of the comparison.
export async function prepareDummyHash(): Promise<void> {
  await getDummyHash();
}

// Compares against the stored hash, or against the dummy hash when there is
// no such user, so response time does not reveal whether an email is registered.
export async function verifyPassword(
  password: string,
  storedHash: string | null,
  client?: Pick<ClientInfo, "ip">,
): Promise<boolean> {
  const candidate = normalizePassword(password);
  const owner = client ? clientShare(client) : null;
  if (storedHash === null) {
    await bcryptCompare(candidate, await getDummyHash(), owner);
    return false;
  }
  return bcryptCompare(candidate, storedHash, owner);
}
