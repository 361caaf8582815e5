// What a lab run measured, as the words of a table cell: one function per
// row, the rows used by the lab page and the dashboard's table alike, so the
// two never disagree (the size row is the lab page's alone). Each cell keeps
// the step of the run that measured it.
import { formatElapsed } from "@/lib/duration";
import type { LabRun, SizeRung, StrategyRun } from "@/lib/showcase/lab-run";

export type Tone = "good" | "bad" | "info";
export type LabCell = { text: string; tone: Tone; step: number };

export type LabRow = {
  id: string;
  aspect: string;
  // What the usual session-versus-JWT table says, in a word or two, for contrast.
  claim: string;
  cell: (strategy: StrategyRun, run: LabRun) => LabCell;
};

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? "" : "s"}`;

// "8 h", "5 min", "30 d": how far off a time is, roughly.
export function roughlyUntil(iso: string, from: number): string {
  const ms = Date.parse(iso) - from;
  if (ms < 90_000) return `${Math.max(0, Math.round(ms / 1000))} s`;
  if (ms < 90 * 60_000) return `${Math.round(ms / 60_000)} min`;
  if (ms < 36 * 3600_000) return `${Math.round(ms / 3600_000)} h`;
  return `${Math.round(ms / 86_400_000)} d`;
}

export function revocationCell(strategy: StrategyRun, run: LabRun): LabCell {
  const r = strategy.revocation;
  if (r.refusedAfterMs !== null && r.acceptedReplays === 0) {
    return { text: "next request", tone: "good", step: r.step };
  }
  if (r.refusedAfterMs !== null) {
    return { text: `after ${formatElapsed(r.refusedAfterMs)}`, tone: "info", step: r.step };
  }
  const until = r.stillValidUntil ? ` (valid ${roughlyUntil(r.stillValidUntil, Date.parse(run.startedAt))} more)` : "";
  return { text: `not within ${formatElapsed(r.watchedMs)}${until}`, tone: "bad", step: r.step };
}

export const LAB_ROWS: LabRow[] = [
  {
    id: "storage",
    aspect: "Storage: sign-in, per request",
    claim: "session: server · JWT: client",
    cell: ({ signIn }) => ({
      text: `${plural(signIn.storeWrites, "write")} · ${signIn.credentialBytes} B`,
      tone: "info",
      step: signIn.step,
    }),
  },
  {
    id: "state",
    aspect: "State: store reads",
    claim: "session: stateful · JWT: stateless",
    cell: ({ storeReads }) => ({
      text:
        `${plural(storeReads.reads, "read")} per check` +
        (storeReads.serviceCalls ? ` + ${plural(storeReads.serviceCalls, "service call")}` : ""),
      tone: "info",
      step: storeReads.step,
    }),
  },
  {
    id: "scalability",
    aspect: "Scalability: store down",
    claim: "JWT: easier to scale",
    cell: ({ storeDown }) => ({
      text: storeDown.status === 200 ? "served with the store down" : `store down: ${storeDown.status}`,
      tone: storeDown.status === 200 ? "good" : "info",
      step: storeDown.step,
    }),
  },
  {
    id: "performance",
    aspect: "Check time: median (middle half)",
    claim: "JWT: faster, no lookup",
    cell: ({ checkMs }) => ({
      text: `${checkMs.median} ms (${checkMs.p25}–${checkMs.p75})`,
      tone: "info",
      step: checkMs.step,
    }),
  },
  {
    id: "revocation",
    aspect: "Revoked: refused",
    claim: "session: at once · JWT: at expiry",
    cell: revocationCell,
  },
  {
    id: "csrf",
    aspect: "CSRF: a cross-site form",
    claim: "session: exposed · JWT: immune",
    cell: ({ crossSite }) => ({
      text: crossSite.ridesAlong ? `rides along, refused: ${crossSite.status}` : `nothing rides: ${crossSite.status}`,
      tone: crossSite.stillAccepted && crossSite.status >= 400 ? "good" : "bad",
      step: crossSite.step,
    }),
  },
  {
    id: "xss",
    aspect: "XSS: page script",
    claim: "session: safe · JWT: exposed",
    cell: ({ pageScript }) => ({
      text: pageScript.readable ? `read, replayed: ${pageScript.replayStatus}` : "hidden from script",
      tone: pageScript.readable ? "bad" : "good",
      step: pageScript.step,
    }),
  },
  {
    id: "other-service",
    aspect: "Another service",
    claim: "JWT only",
    cell: ({ otherService, storeReads, name }) => {
      if (!otherService) return { text: "no service configured", tone: "info", step: storeReads.step };
      if (otherService.status === 200) return { text: "accepted: 200", tone: "good", step: otherService.step };
      const refusedThere = `refused: ${otherService.status || "no answer"}`;
      const text = storeReads.serviceCalls ? `${refusedThere}; calls it for you` : refusedThere;
      return { text, tone: name === "bff" ? "good" : "info", step: otherService.step };
    },
  },
];

const bytes = (count: number) => `${count.toLocaleString("en-US")} B`;

const STOPPED_BY: Record<number, string> = {
  0: "no answer",
  400: "not issued",
  401: "refused by the check",
  431: "431 from Node",
};

// Where a credential stops fitting as its claims grow: the largest size
// tried that came through (a cookie kept by a browser that keeps at most
// `cookieLimit` bytes, as the lab page measured its own, and accepted by
// the check), and what stopped the next.
export function sizeRow(cookieLimit: number): LabRow {
  return {
    id: "size",
    aspect: "Size: claims it carries",
    claim: "JWT: self-contained",
    cell: ({ size }) => {
      if (!size.carriesClaims) return { text: "none: it names server state", tone: "good", step: size.step };
      const keptByBrowser = (rung: SizeRung) => rung.cookieBytes === null || rung.cookieBytes <= cookieLimit;
      const fits = (rung: SizeRung) => rung.status === 200 && keptByBrowser(rung);
      const last = size.rungs.findLastIndex(fits);
      const next = size.rungs[last + 1];
      const upTo = last < 0 ? "not even 0 B" : `up to ${bytes(size.rungs[last]!.claimsBytes)}`;
      if (!next) return { text: `${upTo}, all sizes tried`, tone: "info", step: size.step };
      const stop =
        next.status === 200
          ? `at ${bytes(next.claimsBytes)} a browser drops the ${bytes(next.cookieBytes!)} cookie`
          : `at ${bytes(next.claimsBytes)}: ${STOPPED_BY[next.status] ?? next.status}`;
      return { text: `${upTo}; ${stop}`, tone: "info", step: size.step };
    },
  };
}
