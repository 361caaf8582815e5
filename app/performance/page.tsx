import type { Metadata } from "next";
import { Card } from "@/components/Card";
import { Facts } from "@/components/Facts";
import { BenchMissing } from "@/components/performance/BenchMissing";
import { BarChart, type Bar } from "@/components/performance/BarChart";
import { formatMicros, formatMs, formatRate, formatRatio } from "@/components/performance/format";
import {
  isOtherServiceRoute,
  readBenchResults,
  type BenchResult,
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
          note: formatRatio(route.ratio_to_baseline),
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

function Results({ result }: { result: BenchResult }) {
  const { machine, settings, routes, primitives, storm, targets, credentials } = result;
  return (
    <>
      <Card title="This run">
        <Facts
          testId="bench-run"
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
        <ul data-testid="bench-targets" className="space-y-1 text-sm">
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
      </Card>

      <Card title="Throughput and latency per route">
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Every route under the same load. <Code>baseline</Code> is <Code>/api/health</Code>: the same route plumbing
          and a JSON answer, with no credential, so the difference is the auth check. Dots are the rounds; the ×ratio is
          the median over rounds of the route&apos;s rate divided by the baseline&apos;s in the same round.
        </p>
        <RouteCharts
          routes={routes.filter((route) => !isOtherServiceRoute(route.name))}
          testIds={["chart-rps", "chart-p99"]}
        />
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          <Code>session-page</Code> renders <Code>/account</Code> on the server: its cost is mostly React rendering; the
          session check inside it is the same one <Code>session-json</Code> makes.
        </p>
      </Card>

      <Card title="Another service">
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          The same access token at the separate service (<Code>resource-server/</Code>, a plain Node server, not Next),
          under the same load in the same rounds: <Code>resource-server</Code> checks it with the keys it fetched, no
          database; <Code>resource-server-introspect</Code> also asks this app about each token, so every request pays a
          second one. The ×ratio is against this app&apos;s baseline, a different program: an order of magnitude, not a
          like-for-like comparison.
        </p>
        <RouteCharts
          routes={routes.filter((route) => isOtherServiceRoute(route.name))}
          testIds={["chart-service-rps", "chart-service-p99"]}
        />
      </Card>

      <Card title="Sign-in storm">
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          <Code>/api/me</Code> under the same load, alone and while one more client signs in back to back (bcrypt cost{" "}
          {settings.bcrypt_cost}): {storm.signins} sign-ins, {formatMs(storm.signin_p50_ms)} each at the median,{" "}
          {storm.signin_failures} failed. Hashing runs in worker threads at a lower priority, so requests that are
          already signed in go first.
        </p>
        <BarChart
          testId="chart-storm"
          title="/api/me p99 latency"
          format={formatMs}
          bars={[
            { label: "idle", value: storm.idle_p99_ms, tone: "jwt" },
            { label: "during sign-ins", value: storm.storm_p99_ms, tone: "warn", note: formatRatio(storm.p99_ratio) },
          ]}
        />
      </Card>

      <Card title="What each step costs, in-process">
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Mean time per operation, measured by calling the app&apos;s own functions in a loop (log scale). &ldquo;First
          sight&rdquo; is a credential this process has not checked before; &ldquo;seen before&rdquo; is every later
          request with it.
        </p>
        <BarChart
          testId="chart-primitives"
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
      </Card>

      <Card title="Why it is this cheap, and why revocation still works">
        <ul className="list-disc space-y-2 pl-5 text-sm text-zinc-700 dark:text-zinc-300">
          <li>
            <strong>Session check: one indexed read.</strong> The session and its user come back in one query straight
            through the database driver instead of two through Prisma (the primitives above show what is left). The row
            is read on every request, so a revoked session is refused on the very next one.
          </li>
          <li>
            <strong>Cookie unseal: remembered.</strong> A cookie value that unsealed once maps to its token in a bounded
            in-memory cache until the seal&apos;s own expiry. Only values that passed the HMAC check get in; a forged
            one pays the full check every time.
          </li>
          <li>
            <strong>JWT verify: remembered.</strong> A token that passed every check is remembered (bounded) until it
            expires; expiry, its key still being published, and in denylist mode the denylist, are checked on every use.
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
  const read = readBenchResults();
  return (
    <article className="max-w-4xl space-y-6">
      <header className="space-y-2">
        <h1 className="text-3xl font-semibold tracking-tight">Performance, measured</h1>
        <p className="text-zinc-600 dark:text-zinc-400">
          What a session check and a JWT check cost on a real server under load, from the last run of{" "}
          <Code>npm run bench</Code> on this machine. Nothing here is typed in: every number comes from that run&apos;s
          result file.
        </p>
      </header>
      {read.status === "ok" ? <Results result={read.result} /> : <BenchMissing read={read} />}
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
          <Code>bench/results/latest.json</Code>, which this page reads on every visit.
        </p>
      </Card>
    </article>
  );
}
