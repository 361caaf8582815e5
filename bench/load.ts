// HTTP load with autocannon. Every connection carries its own credential
// (one user per connection), as real clients would. Latencies are kept per
// response (autocannon's own summary rounds to whole milliseconds), so runs
// of the same route in several rounds merge into exact percentiles.
import autocannon from "autocannon";

export type LoadOptions = { connections: number; durationSeconds: number };

export type LoadRun = {
  latencies: number[];
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  seconds: number;
};

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
};

export async function runLoad(
  url: string,
  headersPerConnection: Record<string, string>[],
  options: LoadOptions,
): Promise<LoadRun> {
  let next = 0;
  const latencies: number[] = [];
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
      },
      (error, finished) => (error ? reject(error) : resolve(finished)),
    );
    instance.on("response", (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  });
  return {
    latencies,
    ok: result["2xx"],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    seconds: result.duration,
  };
}

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
  const sum = (pick: (run: LoadRun) => number) => runs.reduce((total, run) => total + pick(run), 0);
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
  };
}

export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
