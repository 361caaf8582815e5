"use client";
import { useEffect, useState } from "react";
import { formatSpan } from "@/lib/duration";

// One clock for every countdown on the page, ticking once a second.
export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
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
