// HTTP load with autocannon. Every connection carries its own credential
// (one user per connection), as real clients would. Latencies are kept per
// response (autocannon's own summary rounds to whole milliseconds), so runs
// of the same route in several rounds merge into exact percentiles.
import autocannon from "autocannon";

// Counters read before and after a run: the serving process's CPU time so
// far, the store's (a PostgreSQL on this machine), and the queries the app
// has sent to its store (bench/cpu.ts, GET /api/store-queries).
export type LoadOptions = {
  connections: number;
  durationSeconds: number;
  serverCpuMs?: () => number | null;
  storeCpuMs?: () => number | null;
  storeQueries?: () => Promise<number | null>;
};

// `cpuMs`: the server's CPU time over the run (null if unknown); `authMs`:
// the auth check's duration each answer reported in Server-Timing;
// `storeCpuMs`, `storeQueries`: the store's CPU time and the queries sent
// to it over the run.
export type LoadRun = {
  latencies: number[];
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  seconds: number;
  cpuMs: number | null;
  authMs: number[];
  storeCpuMs: number | null;
  storeQueries: number | null;
};

// `auth;desc="…";dur=0.18` in a Server-Timing header: the check's time, in
// ms. Entries are comma-separated; a quoted description may hold commas.
const TIMING_ENTRY = /\s*([\w-]+)((?:\s*;\s*[\w-]+\s*(?:=\s*(?:"[^"]*"|[^,;"]*))?)*)\s*(?:,|$)/g;

export function authCheckMs(serverTiming: string | undefined): number | null {
  for (const [, name, params] of (serverTiming ?? "").matchAll(TIMING_ENTRY)) {
    if (name !== "auth") continue;
    const dur = /;\s*dur\s*=\s*"?([\d.]+)/.exec(params ?? "");
    return dur ? Number(dur[1]) : null;
  }
  return null;
}

export type LoadSummary = {
  requests: number;
  requests_per_sec: number;
  rounds_requests_per_sec: number[];
  p50_ms: number;
  p90_ms: number;
  p99_ms: number;
  max_ms: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  // The server's CPU time per answered request, and the median auth check
  // its answers reported (null without Server-Timing's auth entry).
  server_cpu_us_per_request: number | null;
  auth_check_p50_us: number | null;
  // The store's work: queries per 1,000 answered requests, and a local
  // PostgreSQL's CPU time per request (null on SQLite, which works inside
  // the server's own process).
  store_queries_per_1000_requests: number | null;
  store_cpu_us_per_request: number | null;
};

export async function runLoad(
  url: string,
  headersPerConnection: Record<string, string>[],
  options: LoadOptions,
): Promise<LoadRun> {
  let next = 0;
  const latencies: number[] = [];
  const authMs: number[] = [];
  const cpuBefore = options.serverCpuMs?.() ?? null;
  const storeCpuBefore = options.storeCpuMs?.() ?? null;
  const queriesBefore = (await options.storeQueries?.()) ?? null;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections: options.connections,
        duration: options.durationSeconds,
        setupClient: (client) => {
          const headers = headersPerConnection[next++ % Math.max(1, headersPerConnection.length)];
          if (headers) client.setHeaders(headers);
        },
        requests: [
          {
            onResponse: (_status, _body, _context, headers) => {
              const timing = headers?.["server-timing"];
              const ms = authCheckMs(Array.isArray(timing) ? timing.join(", ") : timing);
              if (ms !== null) authMs.push(ms);
            },
          },
        ],
      },
      (error, finished) => (error ? reject(error) : resolve(finished)),
    );
    instance.on("response", (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  });
  const cpuAfter = options.serverCpuMs?.() ?? null;
  const storeCpuAfter = options.storeCpuMs?.() ?? null;
  const queriesAfter = (await options.storeQueries?.()) ?? null;
  const difference = (before: number | null, after: number | null) =>
    before === null || after === null ? null : after - before;
  return {
    latencies,
    ok: result["2xx"],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    seconds: result.duration,
    cpuMs: difference(cpuBefore, cpuAfter),
    authMs,
    // Below zero only if a backend exited and was not yet reaped when read: unknown.
    storeCpuMs: nonNegative(difference(storeCpuBefore, storeCpuAfter)),
    storeQueries: difference(queriesBefore, queriesAfter),
  };
}

const nonNegative = (value: number | null) => (value === null || value < 0 ? null : value);

export function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

// A route's throughput relative to the baseline's, compared round by round
// (both measured in the same round, so a disturbed round disturbs both), and
// the median over rounds, which one outlying round cannot move far.
export function ratioToBaseline(runs: LoadRun[], baselineRuns: LoadRun[]): number {
  const rate = (run: LoadRun) => run.ok / run.seconds;
  return median(runs.map((run, i) => rate(run) / rate(baselineRuns[i]!)));
}

export function summarize(runs: LoadRun[]): LoadSummary {
  const latencies = runs.flatMap((run) => run.latencies).sort((a, b) => a - b);
  const authTimes = runs.flatMap((run) => run.authMs).sort((a, b) => a - b);
  const sum = (pick: (run: LoadRun) => number) => runs.reduce((total, run) => total + pick(run), 0);
  const requests = Math.max(
    1,
    sum((run) => run.ok),
  );
  // A counter's total over the runs, per `scale` answered requests; unknown
  // for the route if any of its runs could not read it.
  const perRequests = (pick: (run: LoadRun) => number | null, scale: number) =>
    runs.some((run) => pick(run) === null) ? null : round((sum((run) => pick(run)!) * scale) / requests, 1);
  return {
    requests: sum((run) => run.ok),
    requests_per_sec: round(sum((run) => run.ok) / sum((run) => run.seconds), 1),
    rounds_requests_per_sec: runs.map((run) => round(run.ok / run.seconds, 1)),
    p50_ms: round(percentile(latencies, 0.5)),
    p90_ms: round(percentile(latencies, 0.9)),
    p99_ms: round(percentile(latencies, 0.99)),
    max_ms: round(latencies.at(-1) ?? 0),
    non2xx: sum((run) => run.non2xx),
    errors: sum((run) => run.errors),
    timeouts: sum((run) => run.timeouts),
    server_cpu_us_per_request: perRequests((run) => run.cpuMs, 1000),
    auth_check_p50_us: authTimes.length === 0 ? null : round(percentile(authTimes, 0.5) * 1000, 1),
    store_queries_per_1000_requests: perRequests((run) => run.storeQueries, 1000),
    store_cpu_us_per_request: perRequests((run) => run.storeCpuMs, 1000),
  };
}

export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
