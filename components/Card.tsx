// The one box: a page section (a heading of its own, optional actions) or a
// dashboard panel (a small label heading inside a column).
export function Card({
  title,
  children,
  actions,
  testId,
  variant = "section",
}: {
  title: string;
  children: React.ReactNode;
  actions?: React.ReactNode;
  testId?: string;
  variant?: "section" | "panel";
}) {
  if (variant === "panel") {
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
  return (
    <section
      data-testid={testId}
      className="space-y-4 rounded-xl border border-zinc-200 bg-white p-5 dark:border-zinc-800 dark:bg-zinc-900"
    >
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 className="text-lg font-semibold">{title}</h2>
        {actions}
      </div>
      {children}
    </section>
  );
}
