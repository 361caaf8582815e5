// Vitest global setup for the database tests: an empty database at the
// committed migrations, on whichever provider DATABASE_URL names.
import { migrate, resetDatabase } from "@/scripts/db";

export default async function setup() {
  const url = process.env.DATABASE_URL!;
  await resetDatabase(url);
  migrate(url);
}
