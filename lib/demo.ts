// The demo account seeded by `npm run db:seed` / `npm run demo`. Its password
// is public on purpose: it is shown on the sign-in and register pages.
import { db } from "@/lib/db";

export const DEMO_USER = { email: "demo@example.com", password: "demo-password" } as const;

export async function demoUserExists(): Promise<boolean> {
  return (await db().user.count({ where: { email: DEMO_USER.email } })) > 0;
}
