// The several-tabs experiment, run by the dashboard's page: five hidden
// tabs of one browser share a refresh cookie, their refresh timers fire
// together four times, and the server counts what happened, in three
// modes: each tab on its own without a grace window, each on its own with
// it, and one at a time under a Web Lock (the dashboard's client).
//
// The tabs are credentialless iframes: they share one cookie jar with each
// other and none with this page, so the experiment's refresh cookie never
// replaces the dashboard's own. They sign in to a throwaway account the
// server makes for the run (POST /api/scenarios/several-tabs) and deletes
// afterwards.
import type { Check } from "@/lib/showcase/scenarios";
import type { TabsFamily } from "@/lib/showcase/several-tabs";
import { SELF_FRAMED_PATH } from "@/lib/content-security-policy";
import type { Traced } from "../requests";
import { TAB_MODES, type TabCommand, type TabReport, type TabsMode } from "./protocol";

export const TABS = 5;
const ROUNDS = 4;
// Apart by more than a second: an access token's exp counts whole seconds,
// and a tab takes another tab's token only if it expires later.
const ROUND_GAP_MS = 1200;
const REPLY_WAIT_MS = 20_000;

const MODE_CLIENT: Record<TabsMode, "browser" | "browser-strict"> = {
  "alone-strict": "browser-strict",
  "alone-grace": "browser",
  locks: "browser",
};

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

type Round = { requests: number; rotations: number; answeredAgain: number; signedIn: number; revoked: string | null };
export type ModeRun = { mode: TabsMode; openingRequests: number; rounds: Round[] };

export function supportsSeparateTabs(): boolean {
  return typeof HTMLIFrameElement !== "undefined" && "credentialless" in HTMLIFrameElement.prototype;
}

// Five iframes and the replies they post back.
class HiddenTabs {
  private readonly frames: HTMLIFrameElement[] = [];
  private readonly box = document.createElement("div");
  private readonly waiting = new Map<string, (report: TabReport) => void>();
  private step = 0;

  constructor(private readonly mode: TabsMode) {
    this.box.setAttribute("aria-hidden", "true");
    this.box.style.cssText = "position:fixed;left:-10000px;top:0;width:1px;height:1px;overflow:hidden";
    window.addEventListener("message", this.receive);
  }

  private receive = (event: MessageEvent<TabReport>) => {
    if (event.origin !== window.location.origin) return;
    const tab = this.frames.findIndex((frame) => frame.contentWindow === event.source);
    if (tab < 0 || event.data?.tab !== tab) return;
    const key = event.data.type === "ready" ? `${tab}:ready` : `${tab}:${event.data.step}`;
    this.waiting.get(key)?.(event.data);
  };

  private reply(tab: number, key: string): Promise<TabReport> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`Hidden tab ${tab + 1} did not answer.`)), REPLY_WAIT_MS);
      this.waiting.set(`${tab}:${key}`, (report) => {
        clearTimeout(timer);
        this.waiting.delete(`${tab}:${key}`);
        resolve(report);
      });
    });
  }

  async open(): Promise<void> {
    document.body.append(this.box);
    const ready: Promise<TabReport>[] = [];
    for (let tab = 0; tab < TABS; tab++) {
      const frame = document.createElement("iframe");
      // Before src: the document must load in the ephemeral context.
      (frame as HTMLIFrameElement & { credentialless: boolean }).credentialless = true;
      frame.title = `Hidden tab ${tab + 1}`;
      frame.src = `${SELF_FRAMED_PATH}?tab=${tab}&mode=${this.mode}`;
      this.frames.push(frame);
      ready.push(this.reply(tab, "ready"));
      this.box.append(frame);
    }
    for (const report of await Promise.all(ready)) {
      if (report.type === "ready" && !report.credentialless)
        throw new Error("A hidden tab did not load credentialless; stopped before it could touch your cookies.");
    }
  }

  async order(tab: number, order: TabCommand) {
    const step = ++this.step;
    const reply = this.reply(tab, String(step));
    this.frames[tab]!.contentWindow!.postMessage({ ...order, step }, window.location.origin);
    const report = await reply;
    return report as Extract<TabReport, { type: "report" }>;
  }

  // The same order to every tab, posted in one go.
  all(order: TabCommand) {
    return Promise.all(this.frames.map((_, tab) => this.order(tab, order)));
  }

  close() {
    window.removeEventListener("message", this.receive);
    this.box.remove();
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const total = (reports: { sent: number }[]) => reports.reduce((sum, report) => sum + report.sent, 0);

async function runMode(
  mode: TabsMode,
  account: { email: string; password: string },
  readFamily: () => Promise<TabsFamily>,
  progress: (text: string) => void,
): Promise<ModeRun> {
  const tabs = new HiddenTabs(mode);
  try {
    progress(`${MODE_TITLE[mode]}: opening ${TABS} hidden tabs`);
    await tabs.open();
    const signedIn = await tabs.order(0, { type: "sign-in", ...account, clientId: MODE_CLIENT[mode] });
    if (signedIn.outcome !== "signed-in") throw new Error("The first hidden tab could not sign in.");
    let reports = [signedIn];
    for (let tab = 1; tab < TABS; tab++) reports.push(await tabs.order(tab, { type: "open" }));
    const openingRequests = total(reports);
    let before = { requests: openingRequests, ...(await readFamily()) };
    const rounds: Round[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      await pause(ROUND_GAP_MS);
      progress(`${MODE_TITLE[mode]}: round ${round} of ${ROUNDS}`);
      reports = await tabs.all({ type: "due" });
      const after = { requests: total(reports), ...(await readFamily()) };
      rounds.push({
        requests: after.requests - before.requests,
        rotations: after.rotations - before.rotations,
        answeredAgain: after.answered_again - before.answered_again,
        signedIn: reports.filter((report) => report.holdsToken).length,
        revoked: after.revoked_reason,
      });
      before = after;
    }
    return { mode, openingRequests, rounds };
  } finally {
    tabs.close();
  }
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? "" : "s"}`;

function describeRounds(run: ModeRun): string {
  const rounds = run.rounds.map(
    (r, i) =>
      `round ${i + 1}: ${plural(r.requests, "request")}, ${plural(r.rotations, "rotation")}, ${r.answeredAgain} answered again, ${r.signedIn} of ${TABS} tabs signed in${r.revoked ? `, family revoked (${r.revoked})` : ""}`,
  );
  return [`opening ${TABS - 1} more tabs: ${plural(run.openingRequests, "refresh request")}`, ...rounds].join("; ");
}

// 0 when never revoked.
const revokedInRound = (run: ModeRun) => run.rounds.findIndex((r) => r.revoked !== null) + 1;

// A tab holding a token of a revoked family is signed out by its next
// refresh: its access token works until it expires, and then nothing does.
function canStillRefresh(run: ModeRun): number {
  const last = run.rounds[run.rounds.length - 1]!;
  return last.revoked ? 0 : last.signedIn;
}

// What each mode should show, and whether it did.
export function judge(run: ModeRun): Check {
  const { rounds } = run;
  const first = rounds[0]!;
  const revokedIn = revokedInRound(run);
  const label = `${TABS} tabs, ${ROUNDS} rounds of refresh timers firing together: ${MODE_TITLE[run.mode]}`;
  const observed = describeRounds(run);
  if (run.mode === "alone-strict") {
    return {
      mechanism: "jwt",
      label,
      expected:
        "the first round's race looks like a stolen refresh token: the family is revoked, and every tab is signed out by its next refresh",
      observed,
      pass: revokedIn === 1 && first.revoked === "reuse_detected" && canStillRefresh(run) === 0,
    };
  }
  if (run.mode === "alone-grace") {
    return {
      mechanism: "jwt",
      label,
      expected:
        "some of the first round's races are forgiven (the spent token's successor is handed out again), but not a race on the very next token, nor one that arrives after that successor was spent too: the family is revoked within a few rounds, and every tab is signed out by its next refresh",
      observed,
      pass: revokedIn >= 1 && first.answeredAgain > 0 && canStillRefresh(run) === 0,
    };
  }
  return {
    mechanism: "jwt",
    label,
    expected:
      "the other tabs get the first tab's token instead of refreshing: one request and one rotation per round, nothing answered again, nobody signed out",
    observed,
    pass:
      run.openingRequests === 0 &&
      revokedIn === 0 &&
      rounds.every((r) => r.requests === 1 && r.rotations === 1 && r.answeredAgain === 0 && r.signedIn === TABS) &&
      canStillRefresh(run) === TABS,
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
      row("Tabs that can still refresh", (run) => `${canStillRefresh(run)} of ${TABS}`),
    ],
  };
}

type Account = { id: string; email: string; password: string };

export async function runSeveralTabs(
  traced: Traced,
  accessToken: string | null,
  progress: (text: string) => void,
): Promise<{ checks: Check[]; durationMs: number; comparison: Comparison }> {
  if (!supportsSeparateTabs()) {
    throw new Error(
      "This experiment needs credentialless iframes (Chrome or Edge 110 and later): in this browser its hidden tabs would share, and replace, this page's refresh cookie.",
    );
  }
  const started = performance.now();
  const auth: Record<string, string> = accessToken ? { authorization: `Bearer ${accessToken}` } : {};
  const start = await traced<{ account: Account; error_description?: string }>("none", "/api/scenarios/several-tabs", {
    method: "POST",
    headers: auth,
  });
  if (!start.response.ok || !start.body?.account)
    throw new Error(start.body?.error_description ?? `HTTP ${start.response.status}`);
  const { account } = start.body;
  const reportPath = `/api/scenarios/several-tabs/${encodeURIComponent(account.id)}`;
  try {
    const runs: ModeRun[] = [];
    for (const [index, mode] of TAB_MODES.entries()) {
      const readFamily = async () => {
        const report = await traced<{ families?: TabsFamily[]; error_description?: string }>("none", reportPath, {
          headers: auth,
        });
        const family = report.body?.families?.[index];
        if (!report.response.ok || !family)
          throw new Error(report.body?.error_description ?? `The experiment's family ${index + 1} is missing.`);
        return family;
      };
      runs.push(await runMode(mode, account, readFamily, progress));
    }
    return { checks: runs.map(judge), durationMs: Math.round(performance.now() - started), comparison: compare(runs) };
  } finally {
    await traced("none", reportPath, { method: "DELETE", headers: auth });
  }
}
