// Runs that must not overlap (the sign-out-everywhere experiment flips
// denylist mode for the whole server, then puts it back) take turns in this
// process. Waiting runs are served by network, then by address, in turn
// (lib/auth/fair-queue.ts), not in arrival order: a visitor who queues
// several runs delays another visitor's by at most one of theirs.
import type { ClientShare } from "@/lib/auth/client-networks";
import { FairQueue } from "@/lib/auth/fair-queue";

// Unbounded here: how many runs one caller may start at once is bounded
// before they get this far (lib/showcase/demo-controls.ts).
const UNBOUNDED = { total: Infinity, network: Infinity, address: Infinity };

export function createTurns() {
  const waiting = new FairQueue<() => void>(() => UNBOUNDED);
  let busy = false;
  return async function inTurn<T>(owner: ClientShare, run: () => Promise<T>): Promise<T> {
    if (busy) await new Promise<void>((resolve) => waiting.push(owner, resolve));
    else waiting.served(owner);
    busy = true;
    try {
      return await run();
    } finally {
      // Handed straight to the next run, or free.
      const next = waiting.shift();
      if (next) next();
      else busy = false;
    }
  };
}
