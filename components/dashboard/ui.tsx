import type { ComponentProps, ReactNode } from "react";
import { Button } from "@/components/Button";

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

// A column's action: a small secondary button (pass tone="danger" for the
// destructive ones).
export function Action(props: ComponentProps<typeof Button>) {
  return <Button type="button" size="sm" tone="secondary" {...props} />;
}
