// Server-rendered times in UTC, the same for every viewer (no hydration
// mismatch); the machine-readable value is in dateTime.
export function Time({ value }: { value: string | Date }) {
  const date = typeof value === "string" ? new Date(value) : value;
  const iso = date.toISOString();
  return <time dateTime={iso}>{iso.slice(0, 19).replace("T", " ")} UTC</time>;
}
