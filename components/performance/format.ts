// How measured numbers are printed everywhere they appear.
export function formatMicros(us: number): string {
  if (us < 10) return `${us.toFixed(1)} µs`;
  if (us < 1000) return `${Math.round(us)} µs`;
  if (us < 10_000) return `${(us / 1000).toFixed(2)} ms`;
  return `${Math.round(us / 1000)} ms`;
}

// Per-request costs in one column: whole µs, so rows compare at a glance;
// "—" where a result file predates the measurement.
export function formatWholeMicros(us: number | null | undefined): string {
  return us == null ? "—" : `${Math.round(us)} µs`;
}

// The store reads one check made, with its unit (a bare digit reads as
// anything); "—" for routes that are not the lab's.
export function formatReads(reads: number | undefined): string {
  return reads === undefined ? "—" : `${reads} ${reads === 1 ? "read" : "reads"}`;
}

export function formatMs(ms: number): string {
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}

export function formatRate(perSecond: number): string {
  return `${Math.round(perSecond).toLocaleString("en")} req/s`;
}

export function formatRatio(ratio: number): string {
  return `×${ratio.toFixed(2)}`;
}
