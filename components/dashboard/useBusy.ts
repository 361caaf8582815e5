"use client";
import { useState } from "react";

// One action at a time per column: its buttons show busy while one runs.
export function useBusy() {
  const [busy, setBusy] = useState(false);
  async function busyWhile(run: () => Promise<unknown>) {
    setBusy(true);
    try {
      await run();
    } finally {
      setBusy(false);
    }
  }
  return { busy, busyWhile };
}
