import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  {
    // Routes and UI call lib/ (the auth functions, the data access layer);
    // only lib/ talks to the database.
    files: ["app/**", "components/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@/lib/db", "**/lib/db"],
              message: "app/ and components/ call lib/ functions; only lib/ reads the database.",
            },
            {
              group: ["@/prisma/generated/*", "@prisma/client", "**/prisma/generated/*"],
              message: "Only lib/db.ts uses the Prisma client.",
            },
          ],
        },
      ],
    },
  },
  {
    // Another service and a non-browser client: they know the app only
    // through HTTP, never through its code, database or secrets. What the
    // standards say (shared/: a DPoP proof's checks) they may share.
    files: ["resource-server/**", "client/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@/*", "../*", "!../shared", "!../shared/*"],
              message: "The resource server and the client are separate programs: they talk to the app over HTTP only.",
            },
          ],
        },
      ],
    },
  },
  {
    // The standards' mechanics every program here uses: nothing of the app.
    files: ["shared/**"],
    ignores: ["shared/**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@/*", "../*"],
              message:
                "shared/ holds what the standards say, for the app, the resource server and the client alike: no app code.",
            },
          ],
        },
      ],
    },
  },
  {
    // Playwright fixtures hand their value to the test with a function
    // named `use`, which the React rules take for React's hook.
    files: ["e2e/**"],
    rules: { "react-hooks/rules-of-hooks": "off" },
  },
  globalIgnores([
    ".next/**",
    "next-env.d.ts",
    "prisma/generated/**",
    "test-results/**",
    "test-results-cluster/**",
    "test-results-postgres/**",
    "artifacts/**",
    "data/**",
    "node_modules/**",
  ]),
]);
