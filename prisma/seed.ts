// Seeds the demo account. Idempotent: an existing demo user keeps its id
// (and so its sessions) while it still has the documented password; one
// whose password was changed (the demo lets visitors do it) gets it back,
// which is a password change like any other and ends what was signed in
// with the other one. As a command (`npm run db:seed`) it first applies any
// pending migration, so it works as the first command on a fresh clone.
import { closeDatabase, db } from "@/lib/db";
import { replaceCredential } from "@/lib/auth/credential-version";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { revokeUserFamilies } from "@/lib/auth/refresh";
import { invalidateUserSessions } from "@/lib/auth/session";
import { DEMO_USER } from "@/lib/showcase/demo";

export async function seed(): Promise<void> {
  const existing = await db().user.findUnique({ where: { email: DEMO_USER.email } });
  if (existing && (await verifyPassword(DEMO_USER.password, existing.passwordHash))) return;
  const passwordHash = await hashPassword(DEMO_USER.password);
  if (!existing) {
    await db().user.upsert({
      where: { email: DEMO_USER.email },
      create: { email: DEMO_USER.email, passwordHash },
      update: {},
    });
    return;
  }
  await replaceCredential(existing, passwordHash, async (tx) => {
    await invalidateUserSessions(existing.id, {}, tx);
    await revokeUserFamilies(existing.id, "password_changed", new Date(), tx);
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { ensureSecretsFile } = await import("@/scripts/secrets");
  const { migrateIfNeeded } = await import("@/scripts/db");
  const { readDatabaseConfig } = await import("@/lib/config");
  ensureSecretsFile();
  await migrateIfNeeded(readDatabaseConfig().url);
  await seed();
  await closeDatabase();
  console.log(`Seeded ${DEMO_USER.email} / ${DEMO_USER.password}`);
}
