import type { ReactNode } from "react";

export function Panel({ title, children, testId }: { title: string; children: ReactNode; testId?: string }) {
  return (
    <section
      data-testid={testId}
      className="space-y-3 rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900"
    >
      <h3 className="text-sm font-semibold uppercase tracking-wide text-zinc-500 dark:text-zinc-400">{title}</h3>
      {children}
    </section>
  );
}

export function ActionButton({
  onClick,
  children,
  busy,
  disabled,
  describedBy,
  testId,
  tone = "neutral",
}: {
  onClick: () => void;
  children: ReactNode;
  busy?: boolean;
  disabled?: boolean;
  describedBy?: string;
  testId?: string;
  tone?: "neutral" | "danger";
}) {
  const colours =
    tone === "danger"
      ? "border-red-300 text-red-700 hover:bg-red-50 dark:border-red-800 dark:text-red-300 dark:hover:bg-red-950/40"
      : "border-zinc-300 hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800";
  return (
    <button
      type="button"
      data-testid={testId}
      onClick={onClick}
      disabled={busy || disabled}
      aria-busy={busy || undefined}
      aria-describedby={describedBy}
      className={`rounded-md border px-3 py-1.5 text-sm font-medium disabled:opacity-60 ${colours}`}
    >
      {children}
    </button>
  );
}

export function Outcome({ ok, children, testId }: { ok: boolean; children: ReactNode; testId?: string }) {
  return (
    <p
      role="status"
      data-testid={testId}
      className={`rounded-md px-3 py-2 text-sm ${ok ? "bg-emerald-50 text-emerald-800 dark:bg-emerald-950/40 dark:text-emerald-200" : "bg-red-50 text-red-800 dark:bg-red-950/40 dark:text-red-200"}`}
    >
      {children}
    </p>
  );
}
