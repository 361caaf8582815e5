// How long a revoked sign-in keeps working in products built on each
// design, as their own documentation or source states the default: the
// lab's measured windows are shown beside these (docs/strategies.md).
// Each names its source: a docs page, or a repository path at a commit.
export type ProductWindow = {
  product: string;
  design: string;
  seconds: number;
  what: string;
  source: { label: string; href: string };
};

const github = (repo: string, commit: string, path: string, line: number) => ({
  label: `${repo} ${path}:${line}`,
  href: `https://github.com/${repo}/blob/${commit}/${path}#L${line}`,
});

export const PRODUCT_WINDOWS: ProductWindow[] = [
  {
    product: "Clerk",
    design: "cookie-cache",
    seconds: 60,
    what: "a 60-second session token over a long-lived client token",
    source: github(
      "clerk/clerk-docs",
      "a7cebf5858db84418400627a811cf6080f66d89c",
      "docs/guides/how-clerk-works/overview.mdx",
      203,
    ),
  },
  {
    product: "Better Auth, cookie cache",
    design: "cookie-cache",
    seconds: 300,
    what: "session.cookieCache.maxAge, 5 minutes by default",
    source: github(
      "better-auth/better-auth",
      "451aa4b6e57c9d4989bebc61ebb0892510e8a14e",
      "packages/better-auth/src/cookies/index.ts",
      126,
    ),
  },
  {
    product: "WorkOS AuthKit",
    design: "sealed-cookie",
    seconds: 300,
    what: "a 5-minute access token in an iron-session cookie, refreshed by the middleware",
    source: {
      label: "workos/authkit-nextjs issue #19 (maintainer)",
      href: "https://github.com/workos/authkit-nextjs/issues/19",
    },
  },
  {
    product: "Supabase Auth",
    design: "bearer-jwt",
    seconds: 3600,
    what: "JWT expiry (GOTRUE_JWT_EXP), 1 hour by default",
    source: github("supabase/auth", "bc32168e13fdc928c98b449fc76bc3fdb9a293c5", "internal/conf/configuration.go", 1109),
  },
  {
    product: "SuperTokens",
    design: "bearer-jwt",
    seconds: 3600,
    what: "access_token_validity, 1 hour by default",
    source: github(
      "supertokens/supertokens-core",
      "0c1739bf43a49d0c4a4892ca3f49cd3303ad28ad",
      "src/main/java/io/supertokens/config/CoreConfig.java",
      82,
    ),
  },
  {
    product: "iron-session",
    design: "sealed-cookie",
    seconds: 14 * 86_400,
    what: "the seal's ttl, 14 days by default",
    source: github("vvo/iron-session", "6b51b419a918a99261fe1c468818fbcfed483834", "src/core.ts", 121),
  },
  {
    product: "Auth.js (next-auth)",
    design: "sealed-cookie",
    seconds: 30 * 86_400,
    what: "the JWE session cookie's maxAge, 30 days by default",
    source: github(
      "nextauthjs/next-auth",
      "a1a16a5a7780488c7449feece410033f445d0b31",
      "packages/core/src/index.ts",
      244,
    ),
  },
];
