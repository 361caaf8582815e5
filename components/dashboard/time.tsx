"use client";
import { useEffect, useState } from "react";

// One clock for every countdown on the page, ticking once a second.
export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

export function formatSpan(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const d = Math.floor(total / 86400);
  const h = Math.floor((total % 86400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${String(m).padStart(2, "0")}m`;
  return `${m}:${String(s).padStart(2, "0")}`;
}

export function Countdown({ until, now, testId }: { until: string | number; now: number; testId?: string }) {
  const target = typeof until === "number" ? until : Date.parse(until);
  const left = target - now;
  return (
    <span
      data-testid={testId}
      className={`font-mono tabular-nums ${left <= 0 ? "text-red-600 dark:text-red-400" : ""}`}
    >
      {left <= 0 ? "expired" : `in ${formatSpan(left)}`}
    </span>
  );
}

export function Clock({ value }: { value: string | number }) {
  const date = new Date(value);
  return (
    <time dateTime={date.toISOString()} className="font-mono tabular-nums" suppressHydrationWarning>
      {date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" })}
    </time>
  );
}
