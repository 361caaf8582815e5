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

export function formatMs(ms: number): string {
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}

export function formatRate(perSecond: number): string {
  return `${Math.round(perSecond).toLocaleString("en")} req/s`;
}

export function formatRatio(ratio: number): string {
  return `×${ratio.toFixed(2)}`;
}
