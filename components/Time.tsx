// How times are shown. Time: server-rendered, in UTC, the same for every
// viewer (no hydration mismatch). Clock: the time of day in the viewer's own
// zone, for the live dashboard. Both carry the machine-readable value.
export function Time({ value }: { value: string | Date }) {
  const date = typeof value === "string" ? new Date(value) : value;
  const iso = date.toISOString();
  return <time dateTime={iso}>{iso.slice(0, 19).replace("T", " ")} UTC</time>;
}

export function Clock({ value }: { value: string | number }) {
  const date = new Date(value);
  return (
    <time dateTime={date.toISOString()} className="font-mono tabular-nums" suppressHydrationWarning>
      {date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" })}
    </time>
  );
}
