// A password change ends every sign-in made with the old password, those
// still being checked included. A sign-in reads the stored hash, runs bcrypt
// (~0.3 s at cost 12), and only then makes its session or refresh family;
// a change that lands in between would otherwise leave that sign-in alive
// (for a refresh family, up to 30 days) with a password its owner has
// already replaced.
//
// So the user carries a credential version, raised by every change, and
// read together with the hash a sign-in checks. A session or refresh family
// is made only while the user is still at that version, in one transaction
// that holds the user's row, and records the version it was made under;
// every later check of it compares the two (lib/auth/session.ts,
// lib/auth/refresh.ts), so even a row that a crash left behind dies at
// its next use.
import { db, inTransaction, type Tx } from "@/lib/db";

// A user as a password check saw them: what may be signed in.
export type CredentialHolder = { id: string; credentialVersion: number };

// Runs `create` in a transaction that first takes the user's row at the
// version the password was checked against, with a write that changes
// nothing. A change committed before it matches no row (null: the sign-in
// is refused); one that comes after waits for this transaction, then ends
// what it made. The write is what makes the change wait: a read would not
// (PostgreSQL's READ COMMITTED lets a change commit between a read and the
// insert; SQLite serialises writers).
export async function whileCredentialCurrent<T>(
  user: CredentialHolder,
  create: (tx: Tx) => Promise<T>,
): Promise<T | null> {
  return inTransaction(async (tx) => {
    const held = await tx.$executeRaw`UPDATE "User" SET "credentialVersion" = "credentialVersion"
      WHERE "id" = ${user.id} AND "credentialVersion" = ${user.credentialVersion}`;
    if (held === 0) return null;
    return create(tx);
  });
}

// Replaces the password hash and raises the version, if the user is still
// at the version whose password was checked (two changes at once: the
// second one's check is out of date, so it changes nothing), then runs
// `endSignIns` in the same transaction. Returns the new holder, or null.
export async function replaceCredential<T>(
  user: CredentialHolder,
  passwordHash: string,
  endSignIns: (tx: Tx) => Promise<T>,
): Promise<{ holder: CredentialHolder; ended: T } | null> {
  return inTransaction(async (tx) => {
    const { count } = await tx.user.updateMany({
      where: { id: user.id, credentialVersion: user.credentialVersion },
      data: { passwordHash, credentialVersion: { increment: 1 } },
    });
    if (count === 0) return null;
    const ended = await endSignIns(tx);
    return { holder: { id: user.id, credentialVersion: user.credentialVersion + 1 }, ended };
  });
}

// For showcase code that signs a user in without a password (the
// dashboard's "another device"): the version as it stands now.
export async function currentCredential(userId: string): Promise<CredentialHolder | null> {
  return db().user.findUnique({ where: { id: userId }, select: { id: true, credentialVersion: true } });
}
