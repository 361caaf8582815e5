// The demo account seeded by `npm run db:seed` / `npm run demo`. Its password
// is public on purpose: it is shown on the sign-in and register pages.
import { db } from "@/lib/db";
import { whenUnavailable } from "@/lib/faults";

export const DEMO_USER = { email: "demo@example.com", password: "demo-password" } as const;

// Whether to show those credentials; during a database outage they are
// left out rather than failing the page (nobody can sign in then anyway).
export async function demoUserExists(): Promise<boolean> {
  return whenUnavailable(async () => (await db().user.count({ where: { email: DEMO_USER.email } })) > 0, false);
}
