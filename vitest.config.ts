import path from "node:path";
import { defineConfig } from "vitest/config";
import { clientsGenerated } from "./scripts/generated-clients";

if (!clientsGenerated()) {
  console.error("\nThe Prisma clients are not generated (prisma/generated/ is missing): run `npm run db:generate`.\n");
  process.exit(2);
}

// DATABASE_URL comes from scripts/test.ts (PostgreSQL run) or is a
// throwaway SQLite file; secrets and a low bcrypt cost are for tests only.
process.env.DATABASE_URL ??= "file:./data/test/unit.db";
const env = {
  AUTH_SECRET: "test-auth-secret-0123456789abcdefghijklmnop",
  SESSION_PASSWORDS: "1:test-cookie-password-0123456789abcdefghij",
  INTROSPECTION_CLIENTS: "test-resource-server:test-introspection-secret-0123456789abcdef",
  BCRYPT_COST: "4",
  // Tests register from a handful of made-up addresses.
  THROTTLE_SIGNIN_NETWORK_FREE: "10000",
  THROTTLE_REGISTER_FREE: "10000",
  THROTTLE_REGISTER_NETWORK_FREE: "10000",
  THROTTLE_THROWAWAY_FREE: "10000",
  THROTTLE_THROWAWAY_IP_FREE: "10000",
  // Races of many simultaneous sign-ins or registrations; the queue's own
  // bound is tested in lib/auth/bcrypt-pool.test.ts.
  PASSWORD_QUEUE_LIMIT: "1000",
  DATABASE_URL: process.env.DATABASE_URL,
};

export default defineConfig({
  resolve: {
    alias: {
      "@": path.resolve(import.meta.dirname),
      // Tests run lib/ outside React's server environment, where Next resolves
      // this marker to nothing; a client bundle still gets the throwing one.
      "server-only": path.resolve(import.meta.dirname, "node_modules/server-only/empty.js"),
    },
  },
  test: {
    env,
    // npm test runs these beside the Playwright suites on two cores: a test
    // that takes 50 ms alone can wait seconds for a core (the bcrypt pool's
    // threads run at a lower priority on purpose). No test here is about time.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: [
            "lib/**/*.test.ts",
            "components/**/*.test.ts",
            "bench/**/*.test.ts",
            "scripts/**/*.test.ts",
            "tests/**/*.test.ts",
            "resource-server/**/*.test.ts",
            "shared/**/*.test.ts",
          ],
          exclude: ["lib/**/*.db.test.ts"],
        },
      },
      {
        extends: true,
        test: {
          name: "db",
          include: ["lib/**/*.db.test.ts"],
          globalSetup: ["tests/db-setup.ts"],
          // One database for all files; each test makes its own rows.
          fileParallelism: false,
        },
      },
    ],
  },
});
