import type { BenchRead } from "@/lib/showcase/bench-results";

// Where a measured number would be, when there is no result to show.
export function BenchMissing({ read }: { read: Exclude<BenchRead, { status: "ok" }> }) {
  return (
    <div
      data-testid="bench-missing"
      className="rounded-lg border border-dashed border-zinc-300 p-4 text-sm text-zinc-600 dark:border-zinc-700 dark:text-zinc-400"
    >
      {read.status === "missing"
        ? "Not measured on this server yet."
        : `The benchmark result could not be read (${read.message}).`}{" "}
      Run <code className="font-mono">npm run bench</code> to measure; it writes{" "}
      <code className="break-all font-mono">{read.file}</code>.
    </div>
  );
}
