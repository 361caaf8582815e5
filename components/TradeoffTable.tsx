// The trade-offs, with the costs this server measured (`npm run bench`) in
// place of adjectives. Without a result, the measured cells say so.
import Link from "next/link";
import { BenchMissing } from "@/components/performance/BenchMissing";
import { formatMicros, formatMs, formatRate, formatRatio } from "@/components/performance/format";
import {
  primitiveById,
  routeByName,
  type BenchRead,
  type BenchResult,
  type ROUTE_NAMES,
} from "@/lib/showcase/bench-results";

type Row = { aspect: string; session: string; jwt: string; measured?: boolean };

function measuredRows(result: BenchResult | null, accessTokenLifetime: string): Row[] {
  const us = (id: string) => {
    const primitive = result && primitiveById(result, id);
    return primitive ? formatMicros(primitive.us_per_op) : "—";
  };
  const route = (name: (typeof ROUTE_NAMES)[number]) => (result ? routeByName(result, name) : undefined);
  const throughput = (name: (typeof ROUTE_NAMES)[number]) => {
    const r = route(name);
    return r ? `${formatRate(r.requests_per_sec)}, ${formatRatio(r.ratio_to_baseline)} of no auth` : "—";
  };
  const p99 = (name: (typeof ROUTE_NAMES)[number]) => {
    const r = route(name);
    const baseline = route("baseline");
    return r && baseline ? `${formatMs(r.p99_ms)} (no auth: ${formatMs(baseline.p99_ms)})` : "—";
  };
  return [
    {
      aspect: "Auth check, per request",
      session: `${us("session-check")}: cookie unseal (remembered) + one indexed read; ${us("unseal-first")} more the first time a cookie is seen`,
      jwt: `${us("jwt-verify-cached")} for a token seen before; ${us("jwt-verify-first")} for its first ES256 verify; ${us("jwt-verify-denylist")} with the denylist`,
      measured: true,
    },
    { aspect: "Throughput under load", session: throughput("session-json"), jwt: throughput("jwt"), measured: true },
    { aspect: "p99 latency under load", session: p99("session-json"), jwt: p99("jwt"), measured: true },
    {
      aspect: "Revocation",
      session: "On the next request: the row is gone (the dashboard's revoke scenario times it)",
      jwt: `At exp (${accessTokenLifetime} here); on the next request only in denylist mode (${throughput("jwt-denylist")})`,
      measured: true,
    },
    {
      aspect: "Sent with every request",
      session: result
        ? `${result.credentials.session_cookie_bytes} bytes of Cookie header, by the browser itself`
        : "—",
      jwt: result
        ? `${result.credentials.bearer_header_bytes} bytes of Authorization header, added by page script`
        : "—",
      measured: true,
    },
    {
      aspect: "Sign-in",
      session: `bcrypt compare ${us("bcrypt-compare")}, off the request thread`,
      jwt: `the same, plus a refresh-token family (rotation ${us("refresh-rotation")})`,
      measured: true,
    },
  ];
}

const FACTS: Row[] = [
  {
    aspect: "What the client holds",
    session: "An opaque random id, sealed in an HttpOnly cookie",
    jwt: "A signed token that carries the claims themselves",
  },
  {
    aspect: "What the server stores",
    session: "One row per signed-in device",
    jwt: "Signing keys only; refresh-token families for renewal",
  },
  {
    aspect: "Main browser risk",
    session: "Cross-site request forgery (SameSite and Origin checks defend)",
    jwt: "Token theft by injected script if stored where script reads it",
  },
  {
    aspect: "Several servers",
    session: "All of them reach the same session store",
    jwt: "All of them need only the public keys",
  },
  // Both shown by e2e/cluster/outage.spec.ts and the dashboard's database scenario.
  {
    aspect: "Database down",
    session: "Every check fails closed (503) until it is back",
    jwt: "Valid tokens keep working (not in denylist mode); no sign-in or refresh",
  },
];

export function TradeoffTable({ read, accessTokenLifetime }: { read: BenchRead; accessTokenLifetime: string }) {
  const result = read.status === "ok" ? read.result : null;
  const rows = [...FACTS.slice(0, 2), ...measuredRows(result, accessTokenLifetime), ...FACTS.slice(2)];
  return (
    <div className="space-y-2">
      {/* On a phone each row stacks: the aspect, then each mechanism under a
          label of its own, so neither column sits off-screen. The explicit
          roles keep it a table for screen readers whatever the display. */}
      <div className="overflow-hidden rounded-lg border border-zinc-200 dark:border-zinc-800">
        <table role="table" data-testid="tradeoff-table" className="w-full text-left text-sm max-sm:block">
          <caption className="sr-only">Session versus JWT trade-offs</caption>
          <thead className="bg-zinc-100 text-xs uppercase tracking-wide text-zinc-600 max-sm:sr-only dark:bg-zinc-900 dark:text-zinc-400">
            <tr role="row">
              <th role="columnheader" scope="col" className="px-4 py-3 font-medium">
                Aspect
              </th>
              <th
                role="columnheader"
                scope="col"
                className="px-4 py-3 font-medium text-session-700 dark:text-session-300"
              >
                Session
              </th>
              <th role="columnheader" scope="col" className="px-4 py-3 font-medium text-jwt-700 dark:text-jwt-300">
                JWT
              </th>
            </tr>
          </thead>
          <tbody role="rowgroup" className="divide-y divide-zinc-200 max-sm:block dark:divide-zinc-800">
            {rows.map((row) => (
              <tr
                role="row"
                key={row.aspect}
                data-measured={row.measured ? "true" : undefined}
                className="align-top max-sm:block max-sm:space-y-2 max-sm:px-4 max-sm:py-3"
              >
                <th role="rowheader" scope="row" className="px-4 py-3 font-medium max-sm:block max-sm:p-0">
                  {row.aspect}
                </th>
                {(["session", "jwt"] as const).map((mechanism) => (
                  <td
                    role="cell"
                    key={mechanism}
                    className="px-4 py-3 text-zinc-700 tabular-nums max-sm:block max-sm:p-0 dark:text-zinc-300"
                  >
                    <span
                      aria-hidden="true"
                      className={`block text-xs font-medium uppercase tracking-wide sm:hidden ${mechanism === "session" ? "text-session-700 dark:text-session-300" : "text-jwt-700 dark:text-jwt-300"}`}
                    >
                      {mechanism === "session" ? "Session" : "JWT"}
                    </span>
                    {row[mechanism]}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {read.status === "ok" ? (
        <p data-testid="tradeoff-source" className="text-xs text-zinc-500 dark:text-zinc-400">
          Figures measured by <code className="font-mono">npm run bench</code> on{" "}
          {new Date(read.result.at).toUTCString()} ({read.result.machine.cpus} × {read.result.machine.cpu_model},{" "}
          {read.result.settings.database}, {read.result.settings.connections} connections).{" "}
          <Link href="/performance" className="underline underline-offset-4">
            Charts and method
          </Link>
          .
        </p>
      ) : (
        <BenchMissing read={read} />
      )}
    </div>
  );
}
