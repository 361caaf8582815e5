// Seeds the demo account. Idempotent: an existing demo user keeps its id
// (and so its sessions) but gets the documented password back. As a command
// (`npm run db:seed`) it first applies any pending migration, so it works as
// the first command on a fresh clone.
import { closeDatabase, db } from "@/lib/db";
import { hashPassword } from "@/lib/auth/password";
import { DEMO_USER } from "@/lib/showcase/demo";

export async function seed(): Promise<void> {
  const passwordHash = await hashPassword(DEMO_USER.password);
  await db().user.upsert({
    where: { email: DEMO_USER.email },
    create: { email: DEMO_USER.email, passwordHash },
    update: { passwordHash },
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
