import type { Metadata } from "next";
import { Card } from "@/components/Card";
import { Facts } from "@/components/Facts";
import { BenchMissing } from "@/components/performance/BenchMissing";
import { BarChart, type Bar } from "@/components/performance/BarChart";
import { ClusterCheckTable } from "@/components/performance/ClusterCheckTable";
import { ScrollTable } from "@/components/performance/ScrollTable";
import { StoreWork } from "@/components/performance/StoreWork";
import { readClusterCheck, type ClusterCheck } from "@/lib/showcase/cluster-check";
import {
  formatMicros,
  formatMs,
  formatRate,
  formatRatio,
  formatReads,
  formatWholeMicros,
} from "@/components/performance/format";
import {
  isOtherServiceRoute,
  readBenchResults,
  type BenchRead,
  type BenchResult,
  type Database,
  type RouteResult,
} from "@/lib/showcase/bench-results";

export const metadata: Metadata = { title: "Performance" };
export const dynamic = "force-dynamic";

// The resource server checks JWTs too.
const tone = (name: string): Bar["tone"] =>
  name.startsWith("session") ? "session" : name.startsWith("jwt") || isOtherServiceRoute(name) ? "jwt" : "neutral";
// Primitives by the mechanism they belong to; bcrypt serves both.
const primitiveTone = (id: string): Bar["tone"] =>
  /^(session|unseal|hmac)/.test(id) ? "session" : /^(jwt|refresh)/.test(id) ? "jwt" : "neutral";

function Code({ children }: { children: React.ReactNode }) {
  return <code className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-[0.85em] dark:bg-zinc-800">{children}</code>;
}

// Pages are weighed against the same page without a credential, JSON
// routes against /api/health: each against what it adds to.
const referenceRatio = (route: RouteResult) => route.ratio_to_page_baseline ?? route.ratio_to_baseline;

function RouteCharts({ routes, testIds }: { routes: RouteResult[]; testIds: [string, string] }) {
  return (
    <>
      <BarChart
        testId={testIds[0]}
        title="Requests per second (higher is better)"
        format={formatRate}
        bars={routes.map((route) => ({
          label: route.name,
          value: route.requests_per_sec,
          dots: route.rounds_requests_per_sec,
          note: formatRatio(referenceRatio(route)),
          tone: tone(route.name),
        }))}
      />
      <BarChart
        testId={testIds[1]}
        title="p99 latency (lower is better)"
        format={formatMs}
        bars={routes.map((route) => ({
          label: route.name,
          value: route.p99_ms,
          note: `p50 ${formatMs(route.p50_ms)}`,
          tone: tone(route.name),
        }))}
      />
    </>
  );
}

// Every route against every reference it has, so the wrapper's own cost
// (baseline against bare) and the session's on a page show apart; and what
// each request cost the server, with the part its auth check reported.
function RatioTable({ routes, testId }: { routes: RouteResult[]; testId: string }) {
  const cell = (ratio: number | undefined) => (ratio === undefined ? "—" : formatRatio(ratio));
  return (
    <ScrollTable
      label="Ratios to each reference"
      testId={testId}
      caption={
        <>
          Against each reference, and the server&apos;s CPU time per request (the auth check&apos;s own time from
          Server-Timing; &ldquo;—&rdquo; where there is none: a page cannot add a response header)
        </>
      }
      columns={[
        "route",
        "× baseline",
        "× bare",
        "× page baseline",
        "CPU / request",
        "auth check",
        "store reads",
        "× server-session",
      ]}
    >
      {routes.map((route) => (
        <tr key={route.name} data-route={route.name} className="border-t border-zinc-200 dark:border-zinc-800">
          <th scope="row" className="py-1 pr-3 font-normal">
            {route.name}
          </th>
          <td className="py-1 pr-3">{cell(route.ratio_to_baseline)}</td>
          <td className="py-1 pr-3">{cell(route.ratio_to_bare)}</td>
          <td className="py-1 pr-3">{cell(route.ratio_to_page_baseline)}</td>
          <td className="py-1 pr-3" data-testid="route-cpu">
            {formatWholeMicros(route.server_cpu_us_per_request)}
          </td>
          <td className="py-1 pr-3" data-testid="route-auth-check">
            {formatWholeMicros(route.auth_check_p50_us)}
          </td>
          <td className="py-1 pr-3">{formatReads(route.store_reads_per_request)}</td>
          <td className="py-1">{cell(route.ratio_to_server_session)}</td>
        </tr>
      ))}
    </ScrollTable>
  );
}

const DATABASES = [
  ["sqlite", "SQLite"],
  ["postgres", "PostgreSQL"],
] as const;

type Reads = Record<Database, BenchRead>;

// One column per database, the same content in each: side by side on a
// wide screen, one under the other on a phone. Test ids end in the
// database (chart-rps-postgres).
function PerDatabase({
  reads,
  what,
  first = false,
  children,
}: {
  reads: Reads;
  what: string;
  // The first section says why a result is missing; the others only that it is.
  first?: boolean;
  children: (result: BenchResult, database: Database) => React.ReactNode;
}) {
  return (
    <div className="grid gap-x-8 gap-y-6 lg:grid-cols-2">
      {DATABASES.map(([database, label]) => {
        const read = reads[database];
        return (
          <section key={database} aria-label={`${what}, ${label}`} className="min-w-0 space-y-4">
            <h3 className="text-xs font-semibold tracking-wide text-zinc-600 uppercase dark:text-zinc-400">{label}</h3>
            {read.status === "ok" ? (
              children(read.result, database)
            ) : first ? (
              <BenchMissing read={read} />
            ) : (
              <p className="text-sm text-zinc-600 dark:text-zinc-400">No result (see the first section).</p>
            )}
          </section>
        );
      })}
    </div>
  );
}

function RunFacts({ result, database }: { result: BenchResult; database: Database }) {
  const { machine, settings, targets } = result;
  return (
    <>
      <Facts
        testId={`bench-run-${database}`}
        rows={[
          ["Measured", new Date(result.at).toUTCString()],
          ["Machine", `${machine.cpus} × ${machine.cpu_model}, ${machine.memory_gb} GiB, ${machine.platform}`],
          [
            "Runtime",
            `Node ${machine.node}, production build (next start), ${settings.database === "sqlite" ? "SQLite" : "PostgreSQL"}`,
          ],
          [
            "Load",
            `autocannon, ${settings.connections} connections, ${settings.duration_s} s per route in ${settings.rounds} interleaved rounds (after ${settings.warmup_s} s warm-up)`,
          ],
          ["Users", `${settings.users} (one per connection), bcrypt cost ${settings.bcrypt_cost}`],
        ]}
      />
      <ul data-testid={`bench-targets-${database}`} className="space-y-1 text-sm">
        {targets.map((target) => (
          <li
            key={target.name}
            className={target.met ? "text-emerald-700 dark:text-emerald-400" : "text-red-700 dark:text-red-400"}
          >
            {target.met ? "✓" : "✗"} {target.name} {target.goal}:{" "}
            <span className="font-semibold tabular-nums">{target.value}</span>
          </li>
        ))}
      </ul>
    </>
  );
}

function Primitives({ result, database }: { result: BenchResult; database: Database }) {
  const { primitives, credentials } = result;
  return (
    <>
      <BarChart
        testId={`chart-primitives-${database}`}
        title="Microseconds per operation (log scale)"
        scale="log"
        format={formatMicros}
        bars={primitives.map((primitive) => ({
          label: primitive.id,
          value: primitive.us_per_op,
          tone: primitiveTone(primitive.id),
        }))}
      />
      <ul className="space-y-1 text-xs text-zinc-600 dark:text-zinc-400">
        {primitives.map((primitive) => (
          <li key={primitive.id}>
            <span className="font-mono">{primitive.id}</span>: {primitive.name}, p50 {formatMicros(primitive.p50_us)},
            p99 {formatMicros(primitive.p99_us)} ({primitive.samples} samples)
          </li>
        ))}
      </ul>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        Each request also carries its credential: the session cookie adds {credentials.session_cookie_bytes} bytes of
        header, the Bearer token {credentials.bearer_header_bytes}.
      </p>
    </>
  );
}

function Results({ reads, clusterCheck }: { reads: Reads; clusterCheck: ClusterCheck | null }) {
  const runs = (
    <Card title="These runs">
      <PerDatabase reads={reads} what="The run" first>
        {(result, database) => <RunFacts result={result} database={database} />}
      </PerDatabase>
    </Card>
  );
  if (DATABASES.every(([database]) => reads[database].status !== "ok")) return runs;
  return (
    <>
      {runs}

      <Card title="Throughput and latency per route">
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Every route under the same load, against three references: <Code>bare</Code> is a handler with none of this
          app&apos;s code around it (<Code>/api/health/bare</Code>); <Code>baseline</Code> is the same answer through
          the <Code>route()</Code> wrapper every protected route has (<Code>/api/health</Code>), with no credential, so
          what a JSON route loses against it is its auth check and its own, longer answer (the table below shows the
          server&apos;s CPU per request beside the check&apos;s own time; on SQLite the session read itself is tens of
          microseconds, the rest of the gap is spread thin, <Code>docs/decisions.md</Code> §41 and §43);{" "}
          <Code>baseline-cookie</Code> is that request again with a session cookie that nothing reads: what Next.js
          itself spends on a request that carries a cookie, which every cookie route pays before its check;{" "}
          <Code>page-baseline</Code> is the account page rendered from a sample with no credential (
          <Code>/performance/page-baseline</Code>), so what <Code>session-page</Code> (<Code>/account</Code>) loses
          against it is the session&apos;s cost on a page, not React&apos;s. Dots are the rounds; the ×ratio beside each
          bar is against the route&apos;s own reference (pages against the page baseline, the rest against the
          baseline), the median over rounds of the route&apos;s rate over the reference&apos;s in the same round. On
          PostgreSQL the reads of requests that arrive together go to the database as one query; in the committed run
          the routes that read served more than the baseline, and a CPU probe agrees their requests cost the server
          less, but why is observed, not proven, and the rounds (the dots) stray widely: read it as &ldquo;the read
          costs nothing measurable here&rdquo;, not as a gain. Every request is still checked (
          <Code>docs/decisions.md</Code> §38).
        </p>
        <PerDatabase reads={reads} what="Throughput and latency">
          {(result, database) => {
            const routes = result.routes.filter((route) => !isOtherServiceRoute(route.name));
            return (
              <>
                <RouteCharts routes={routes} testIds={[`chart-rps-${database}`, `chart-p99-${database}`]} />
                <RatioTable routes={routes} testId={`ratios-${database}`} />
              </>
            );
          }}
        </PerDatabase>
      </Card>

      <Card title="The store's work, and the cores it would take" testId="store-work">
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          &ldquo;JWTs scale, sessions need a store&rdquo;, in numbers. During each route&apos;s load the bench counts
          the reads and writes the app sent to its store (at its database seam: on PostgreSQL, reads that arrive
          together go as one statement, so it sends fewer) and, for a PostgreSQL on the same machine, that server&apos;s
          CPU time (every <Code>postgres</Code> process, from <Code>/proc</Code>), divided by the requests answered.
          SQLite works inside the app&apos;s own process: its cost is in the app&apos;s CPU per request above. The cores
          columns are a <strong>projection</strong>, not a measurement: the store&apos;s CPU per request times the rate,
          assuming a request costs the store at that rate what it cost here (no lock contention, the same cache hits and
          batching) and counting CPU only, not disk or memory. Routes that send no queries still show PostgreSQL&apos;s
          own background work (its writer, checkpointer and autovacuum) spread over their requests, which does not grow
          with the rate: for them the projection errs high.
        </p>
        <PerDatabase reads={reads} what="The store's work">
          {(result, database) => (
            <StoreWork
              routes={result.routes.filter((route) => !isOtherServiceRoute(route.name))}
              testId={`store-work-${database}`}
            />
          )}
        </PerDatabase>
        {clusterCheck ? (
          <>
            <p className="text-sm text-zinc-600 dark:text-zinc-400">
              The projection&apos;s input, checked where it matters: the same routes through nginx in front of 1 and 2
              instances of <Code>npm run cluster</Code> on one PostgreSQL (<Code>npm run bench:cluster</Code>). Where
              the store&apos;s CPU per request stays near the bench&apos;s as instances are added, the cores scale with
              the rate as projected; where it does not, the table says by how much.
            </p>
            <ClusterCheckTable check={clusterCheck} />
          </>
        ) : (
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            Not yet checked against <Code>npm run cluster</Code>: <Code>npm run bench:cluster</Code> writes{" "}
            <Code>bench/results/cluster-check.json</Code>.
          </p>
        )}
      </Card>

      <Card title="Another service">
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          The same access token at the separate service (<Code>resource-server/</Code>, a plain Node server, not Next),
          under the same load in the same rounds: <Code>resource-server</Code> checks it with the keys it fetched, no
          database; <Code>resource-server-introspect</Code> also asks this app about each token, so every request pays a
          second one. The ×ratio is against this app&apos;s baseline, a different program: an order of magnitude, not a
          like-for-like comparison.
        </p>
        <PerDatabase reads={reads} what="Another service">
          {(result, database) => (
            <RouteCharts
              routes={result.routes.filter((route) => isOtherServiceRoute(route.name))}
              testIds={[`chart-service-rps-${database}`, `chart-service-p99-${database}`]}
            />
          )}
        </PerDatabase>
      </Card>

      <Card title="Sign-in storm">
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          <Code>/api/me</Code> under the same load, alone and while one more client signs in back to back. Hashing runs
          in worker threads at a lower priority, so requests that are already signed in go first.
        </p>
        <PerDatabase reads={reads} what="Sign-in storm">
          {({ storm, settings }, database) => (
            <>
              <p className="text-sm text-zinc-600 dark:text-zinc-400">
                {storm.signins} sign-ins at bcrypt cost {settings.bcrypt_cost}, {formatMs(storm.signin_p50_ms)} each at
                the median, {storm.signin_failures} failed.
              </p>
              <BarChart
                testId={`chart-storm-${database}`}
                title="/api/me p99 latency"
                format={formatMs}
                bars={[
                  { label: "idle", value: storm.idle_p99_ms, tone: "jwt" },
                  {
                    label: "during sign-ins",
                    value: storm.storm_p99_ms,
                    tone: "warn",
                    note: formatRatio(storm.p99_ratio),
                  },
                ]}
              />
            </>
          )}
        </PerDatabase>
      </Card>

      <Card title="What each step costs, in-process">
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Mean time per operation, measured by calling the app&apos;s own functions in a loop (log scale). &ldquo;First
          sight&rdquo; is a credential this process has not checked before; &ldquo;seen before&rdquo; is every later
          request with it.
        </p>
        <PerDatabase reads={reads} what="Costs in-process">
          {(result, database) => <Primitives result={result} database={database} />}
        </PerDatabase>
      </Card>

      <Card title="Why it is this cheap, and why revocation still works">
        <ul className="list-disc space-y-2 pl-5 text-sm text-zinc-700 dark:text-zinc-300">
          <li>
            <strong>Session check: one indexed read.</strong> The session and its user come back in one query straight
            through the database driver instead of two through Prisma (the primitives above show what is left). On
            PostgreSQL it is a named prepared statement, parsed and planned once per connection. The row is read on
            every request, so a revoked session is refused on the very next one.
          </li>
          <li>
            <strong>Cookie unseal: remembered.</strong> A cookie value that unsealed once maps to its token in a bounded
            in-memory cache until the seal&apos;s own expiry. Only values that passed the HMAC check get in; a forged
            one pays the full check every time.
          </li>
          <li>
            <strong>JWT verify: remembered.</strong> A token that passed every check is remembered (bounded) until it
            expires; expiry, its key still being published, and in denylist mode the denylist (one prepared read of the
            token&apos;s id and its family), are checked on every use.
          </li>
          <li>
            <strong>bcrypt: off the request thread.</strong> Sign-ins hash in worker threads at a lower scheduling
            priority.
          </li>
        </ul>
      </Card>
    </>
  );
}

export default function PerformancePage() {
  const reads: Reads = {
    sqlite: readBenchResults("sqlite"),
    postgres: readBenchResults("postgres"),
  };
  return (
    <article className="max-w-6xl space-y-6">
      <header className="space-y-2">
        <h1 className="text-3xl font-semibold tracking-tight">Performance, measured</h1>
        <p className="text-zinc-600 dark:text-zinc-400">
          What a session check and a JWT check cost on a real server under load, from the last run of{" "}
          <Code>npm run bench</Code> on each database, side by side. Nothing here is typed in: every number comes from a
          run&apos;s result file.
        </p>
      </header>
      <Results reads={reads} clusterCheck={readClusterCheck()} />
      <Card title="Reproduce">
        <pre
          tabIndex={0}
          aria-label="Commands"
          className="overflow-x-auto rounded-md bg-zinc-100 p-3 font-mono text-xs dark:bg-zinc-800"
        >
          {`npm run bench                                  # SQLite, 10 connections, 20 s per route
npm run bench -- --duration 30 --connections 20  # longer, heavier
DATABASE_URL=postgresql://… npm run bench      # PostgreSQL (uses a new database beside it)`}
        </pre>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          It builds if needed, starts the production server on a fresh database, signs users in over HTTP and writes{" "}
          <Code>bench/results/latest.json</Code> (SQLite) or <Code>bench/results/latest-postgres.json</Code>{" "}
          (PostgreSQL), which this page reads on every visit.
        </p>
      </Card>
    </article>
  );
}
