// The usual claims made for JWTs, each with what this app shows about it and
// where to see it happen. Verdicts are what the experiments show here, not
// what the claim's authors meant.
import Link from "next/link";
import { formatMicros, formatRatio } from "@/components/performance/format";
import { primitiveById, routeByName, type BenchRead, type BenchResult } from "@/lib/showcase/bench-results";

type Claim = {
  claim: string;
  verdict: "true" | "half true";
  shows: string;
  see: { href: string; label: string }[];
  // The benchmark's numbers that answer it, where it has some.
  measured?: (result: BenchResult) => string;
};

const micros = (result: BenchResult, id: string) => {
  const primitive = primitiveById(result, id);
  return primitive ? formatMicros(primitive.us_per_op) : "—";
};
const ratio = (result: BenchResult, name: Parameters<typeof routeByName>[1]) =>
  formatRatio(routeByName(result, name).ratio_to_baseline);

const CLAIMS: Claim[] = [
  {
    claim: "Storage: “the server does not need to store session data”",
    verdict: "half true",
    shows:
      "An access token is checked with no row. But the refresh side is stored (a family per sign-in, a row per rotation), so are the signing keys, and immediate revocation needs a denylist.",
    see: [{ href: "/dashboard", label: "Dashboard: rows held, the refresh family" }],
  },
  {
    claim: "State: “stateless authentication”",
    verdict: "half true",
    shows:
      "The check is stateless: another service verifies tokens with public keys only, and keeps doing so while the database is gone. Issuing, refreshing and revoking are not.",
    see: [
      { href: "/dashboard", label: "Dashboard: another service; the database-unavailable scenario" },
      { href: "/docs/code/resource-server/verifier.ts", label: "resource-server/verifier.ts" },
    ],
  },
  {
    claim: "Scalability: “easier to scale”",
    verdict: "half true",
    shows:
      "Both scale out here: any number of instances on one PostgreSQL, no sticky sessions, an instance killed under load without signing anyone out. Sessions need the shared store on every request; JWT checks need only the shared keys.",
    see: [{ href: "/docs/code/e2e/cluster/chaos.spec.ts", label: "e2e/cluster/chaos.spec.ts" }],
  },
  {
    claim: "Performance: “faster, no database lookup”",
    verdict: "half true",
    shows:
      "Both checks are measured, alone and under load, on the Performance page: with the database on the same machine the lookup costs little next to the rest of a request; it grows with a database across a network. Denylist mode puts a lookup back.",
    see: [{ href: "/performance", label: "Performance" }],
    measured: (r) =>
      `a session check ${micros(r, "session-check")}, a JWT check ${micros(r, "jwt-verify-cached")} for a token seen before and ${micros(r, "jwt-verify-first")} at first sight; under load, ${ratio(r, "session-json")} (session) and ${ratio(r, "jwt")} (JWT) of an unauthenticated route's throughput.`,
  },
  {
    claim: "Revocation: “a JWT cannot be revoked before it expires”",
    verdict: "true",
    shows:
      "The known weakness: a revoked access token works until it expires, unless each check asks (denylist mode here, introspection at another service), which is a session lookup by another name.",
    see: [{ href: "/dashboard", label: "Dashboard: revoke then replay; another service with introspection" }],
    measured: (r) =>
      `with the denylist asked on every check, ${ratio(r, "jwt-denylist")} of an unauthenticated route's throughput (${ratio(r, "jwt")} without); the dashboard's scenario times how long a revoked token keeps working.`,
  },
  {
    claim: "Microservices: “other services can verify tokens”",
    verdict: "true",
    shows:
      "A separate program, given only this app's URL, finds the keys by discovery and accepts the tokens; a session cookie means nothing to it. Key rotations are scheduled so a service with a cached JWKS never meets an unknown key.",
    see: [
      { href: "/dashboard", label: "Dashboard: another service; key rotation" },
      { href: "/docs/code/resource-server/server.ts", label: "resource-server/server.ts" },
    ],
  },
  {
    claim: "Mobile apps: “tokens suit non-browser clients”",
    verdict: "true",
    shows:
      "A command-line client stands in for one: an Authorization header, tokens in a private file, refresh when expired, and a lost refresh reply answered on retry. A cookie jar would work too; the header is simply what such clients send.",
    see: [{ href: "/docs/code/client/cli.ts", label: "npm run client (client/cli.ts)" }],
  },
];

export function SeedClaims({ read }: { read: BenchRead }) {
  return (
    <ul className="grid gap-3 md:grid-cols-2" data-testid="seed-claims">
      {CLAIMS.map((item) => (
        <li key={item.claim} className="space-y-2 rounded-lg border border-zinc-200 p-4 text-sm dark:border-zinc-800">
          <p className="font-medium">
            {item.claim}{" "}
            <span
              className={`ml-1 whitespace-nowrap rounded px-1.5 py-0.5 text-xs ${item.verdict === "true" ? "bg-emerald-50 text-emerald-800 dark:bg-emerald-950/40 dark:text-emerald-200" : "bg-amber-50 text-amber-900 dark:bg-amber-950/40 dark:text-amber-200"}`}
            >
              {item.verdict}
            </span>
          </p>
          <p className="text-zinc-700 dark:text-zinc-300">{item.shows}</p>
          {item.measured ? (
            <p data-testid="claim-measured" className="text-zinc-700 tabular-nums dark:text-zinc-300">
              <span className="font-medium">Measured here: </span>
              {read.status === "ok" ? item.measured(read.result) : "not yet on this server (npm run bench)."}
            </p>
          ) : null}
          <p className="flex flex-wrap gap-x-3 gap-y-1">
            {item.see.map((link) => (
              <Link key={link.href + link.label} href={link.href} className="text-sky-700 underline dark:text-sky-300">
                {link.label}
              </Link>
            ))}
          </p>
        </li>
      ))}
    </ul>
  );
}
