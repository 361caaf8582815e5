// What the several-tabs experiment measured in each mode, what each mode
// should show, and the three side by side. Pure: unit-tested on made-up
// runs (./verdict.test.ts).
import type { Check } from "@/lib/showcase/scenarios";
import type { TabsMode } from "./protocol";

export const TABS = 5;
export const ROUNDS = 4;

// Counts for one round, from the tabs (requests, who holds a token) and the
// database (rotations, spent tokens answered again, why the family ended).
export type Round = {
  requests: number;
  rotations: number;
  answeredAgain: number;
  signedIn: number;
  revoked: string | null;
};

// `after`: one more refresh timer in every tab once the rounds are over,
// which finds out which tabs can still refresh (a tab holding an access
// token of a revoked family is signed out by its next refresh, not before).
export type ModeRun = { mode: TabsMode; openingRequests: number; rounds: Round[]; after: Round };

const MODE_SHORT: Record<TabsMode, string> = {
  "alone-strict": "On their own, no grace",
  "alone-grace": "On their own, grace window",
  locks: "Web Lock",
};

export const MODE_TITLE: Record<TabsMode, string> = {
  "alone-strict": "each tab on its own, no grace window (client browser-strict)",
  "alone-grace": "each tab on its own, with the grace window (the dashboard's client before it coordinated tabs)",
  locks: "one tab at a time under a Web Lock, the new token handed over a BroadcastChannel (the dashboard's client)",
};

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? "" : "s"}`;

function describeRound(label: string, r: Round): string {
  return `${label}: ${plural(r.requests, "request")}, ${plural(r.rotations, "rotation")}, ${r.answeredAgain} answered again, ${r.signedIn} of ${TABS} tabs signed in${r.revoked ? `, family revoked (${r.revoked})` : ""}`;
}

function describe(run: ModeRun): string {
  return [
    `opening ${TABS - 1} more tabs: ${plural(run.openingRequests, "refresh request")}`,
    ...run.rounds.map((r, i) => describeRound(`round ${i + 1}`, r)),
    describeRound("one more refresh afterwards", run.after),
  ].join("; ");
}

// 0 when never revoked.
const revokedInRound = (run: ModeRun) => run.rounds.findIndex((r) => r.revoked !== null) + 1;

export function judge(run: ModeRun): Check {
  const { rounds, after } = run;
  const first = rounds[0]!;
  const revokedIn = revokedInRound(run);
  const theft = rounds[revokedIn - 1]?.revoked === "reuse_detected";
  const label = `${TABS} tabs, ${ROUNDS} rounds of refresh timers firing together: ${MODE_TITLE[run.mode]}`;
  const observed = describe(run);
  const outcome: Check["outcome"] =
    revokedIn === 0
      ? { tone: after.signedIn === TABS ? "good" : "bad", said: `${after.signedIn} of ${TABS} tabs still signed in` }
      : {
          tone: "bad",
          said: `${theft ? "Taken for theft" : "Family ended"} in round ${revokedIn}: ${TABS - after.signedIn} of ${TABS} tabs signed out`,
        };
  if (run.mode === "alone-strict") {
    return {
      mechanism: "jwt",
      label,
      outcome,
      expected:
        "the first round's race looks like a stolen refresh token: the family is revoked, and every tab is signed out by its next refresh",
      observed,
      pass: revokedIn === 1 && theft && after.signedIn === 0,
    };
  }
  if (run.mode === "alone-grace") {
    return {
      mechanism: "jwt",
      label,
      outcome,
      expected:
        "some of the first round's races are forgiven (the spent token's successor is handed out again), but not a race on the very next token, nor one that arrives after that successor was spent too: the family is revoked within a few rounds, and every tab is signed out by its next refresh",
      observed,
      pass: revokedIn >= 1 && theft && first.answeredAgain > 0 && after.signedIn === 0,
    };
  }
  return {
    mechanism: "jwt",
    label,
    outcome,
    expected:
      "the other tabs get the first tab's token instead of refreshing: one request and one rotation per round, nothing answered again, nobody signed out",
    observed,
    pass:
      run.openingRequests === 0 &&
      revokedIn === 0 &&
      [...rounds, after].every(
        (r) => r.requests === 1 && r.rotations === 1 && r.answeredAgain === 0 && r.signedIn === TABS && !r.revoked,
      ),
  };
}

// The three modes side by side: one column each.
export type Comparison = { head: string[]; rows: string[][] };

export function compare(runs: ModeRun[]): Comparison {
  const sum = (run: ModeRun, field: "requests" | "rotations" | "answeredAgain") =>
    String(run.rounds.reduce((total, round) => total + round[field], 0));
  const row = (measure: string, value: (run: ModeRun) => string) => [measure, ...runs.map(value)];
  return {
    head: ["", ...runs.map((run) => MODE_SHORT[run.mode])],
    rows: [
      row(`Requests opening ${TABS - 1} more tabs`, (run) => String(run.openingRequests)),
      row(`Refresh requests in ${ROUNDS} rounds`, (run) => sum(run, "requests")),
      row("Rotations", (run) => sum(run, "rotations")),
      row("Spent tokens answered again", (run) => sum(run, "answeredAgain")),
      row("Family revoked", (run) => (revokedInRound(run) ? `in round ${revokedInRound(run)}` : "never")),
      row("Tabs signed in after one more refresh", (run) => `${run.after.signedIn} of ${TABS}`),
    ],
  };
}
