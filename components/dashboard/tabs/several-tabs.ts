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
import { SELF_FRAMED_PATH } from "@/lib/self-framed";
import type { Traced } from "../requests";
import { TAB_MODES, type TabCommand, type TabReport, type TabsMode } from "./protocol";
import { compare, judge, MODE_TITLE, ROUNDS, TABS, type Comparison, type ModeRun, type Round } from "./verdict";

// Apart by more than a second: an access token's exp counts whole seconds,
// and a tab takes another tab's token only if it expires later.
const ROUND_GAP_MS = 1200;
const REPLY_WAIT_MS = 20_000;

const MODE_CLIENT: Record<TabsMode, "browser" | "browser-strict"> = {
  "alone-strict": "browser-strict",
  "alone-grace": "browser",
  locks: "browser",
};

type Reported = Extract<TabReport, { type: "report" }>;

function supportsSeparateTabs(): boolean {
  return typeof HTMLIFrameElement !== "undefined" && "credentialless" in HTMLIFrameElement.prototype;
}

// Five iframes and the replies they post back.
class HiddenTabs {
  private readonly frames: HTMLIFrameElement[] = [];
  private readonly box = document.createElement("div");
  private readonly waiting = new Map<string, { resolve: (report: TabReport) => void; fail: (error: Error) => void }>();
  private step = 0;

  constructor(
    private readonly mode: TabsMode,
    private readonly run: string,
  ) {
    this.box.setAttribute("aria-hidden", "true");
    this.box.style.cssText = "position:fixed;left:-10000px;top:0;width:1px;height:1px;overflow:hidden";
    window.addEventListener("message", this.receive);
  }

  private receive = (event: MessageEvent<TabReport>) => {
    if (event.origin !== window.location.origin) return;
    const tab = this.frames.findIndex((frame) => frame.contentWindow === event.source);
    if (tab < 0 || event.data?.tab !== tab) return;
    const key = event.data.type === "ready" ? `${tab}:ready` : `${tab}:${event.data.step}`;
    this.waiting.get(key)?.resolve(event.data);
  };

  private reply(tab: number, key: string): Promise<TabReport> {
    const name = `${tab}:${key}`;
    return new Promise((resolve, reject) => {
      const settle = () => {
        clearTimeout(timer);
        this.waiting.delete(name);
      };
      const timer = setTimeout(() => {
        settle();
        reject(new Error(`Hidden tab ${tab + 1} did not answer.`));
      }, REPLY_WAIT_MS);
      this.waiting.set(name, {
        resolve: (report) => {
          settle();
          resolve(report);
        },
        fail: (error) => {
          settle();
          reject(error);
        },
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
      frame.src = `${SELF_FRAMED_PATH}?tab=${tab}&mode=${this.mode}&run=${this.run}`;
      this.frames.push(frame);
      ready.push(this.reply(tab, "ready"));
      this.box.append(frame);
    }
    for (const report of await Promise.all(ready)) {
      if (report.type === "ready" && !report.credentialless)
        throw new Error("A hidden tab did not load credentialless; stopped before it could touch your cookies.");
    }
  }

  async order(tab: number, order: TabCommand): Promise<Reported> {
    const step = ++this.step;
    const reply = this.reply(tab, String(step));
    this.frames[tab]!.contentWindow!.postMessage({ ...order, step }, window.location.origin);
    const report = (await reply) as Reported;
    if (report.outcome === "error") throw new Error(`Hidden tab ${tab + 1} failed to carry out "${order.type}".`);
    return report;
  }

  // The same order to every tab, posted in one go.
  all(order: TabCommand) {
    return Promise.all(this.frames.map((_, tab) => this.order(tab, order)));
  }

  close() {
    window.removeEventListener("message", this.receive);
    for (const pending of [...this.waiting.values()]) pending.fail(new Error("The experiment stopped."));
    this.box.remove();
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const total = (reports: { sent: number }[]) => reports.reduce((sum, report) => sum + report.sent, 0);

async function runMode(
  mode: TabsMode,
  account: { email: string; password: string },
  readFamily: (id: string) => Promise<TabsFamily>,
  progress: (text: string) => void,
): Promise<ModeRun> {
  const tabs = new HiddenTabs(mode, runName());
  try {
    progress(`${MODE_TITLE[mode]}: opening ${TABS} hidden tabs`);
    await tabs.open();
    const signedIn = await tabs.order(0, { type: "sign-in", ...account, clientId: MODE_CLIENT[mode] });
    if (signedIn.outcome !== "signed-in" || !signedIn.family)
      throw new Error("The first hidden tab could not sign in.");
    const familyId = signedIn.family;
    let reports = [signedIn];
    for (let tab = 1; tab < TABS; tab++) reports.push(await tabs.order(tab, { type: "open" }));
    const openingRequests = total(reports);
    let before = { requests: openingRequests, ...(await readFamily(familyId)) };
    const measureRound = async (): Promise<Round> => {
      await pause(ROUND_GAP_MS);
      reports = await tabs.all({ type: "due" });
      const after = { requests: total(reports), ...(await readFamily(familyId)) };
      const round = {
        requests: after.requests - before.requests,
        rotations: after.rotations - before.rotations,
        answeredAgain: after.answered_again - before.answered_again,
        signedIn: reports.filter((report) => report.holdsToken).length,
        revoked: after.revoked_reason,
      };
      before = after;
      return round;
    };
    const rounds: Round[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      progress(`${MODE_TITLE[mode]}: round ${round} of ${ROUNDS}`);
      rounds.push(await measureRound());
    }
    progress(`${MODE_TITLE[mode]}: one more refresh, to see who is still signed in`);
    return { mode, openingRequests, rounds, after: await measureRound() };
  } finally {
    tabs.close();
  }
}

const runName = () =>
  Array.from(crypto.getRandomValues(new Uint8Array(8)), (b) => b.toString(16).padStart(2, "0")).join("");

type Account = { id: string; email: string; password: string };

// `accessToken`: the page's token as of each request (it may be refreshed
// during the run), for a caller signed in with a JWT only.
export async function runSeveralTabs(
  traced: Traced,
  accessToken: () => string | null,
  progress: (text: string) => void,
): Promise<{ checks: Check[]; durationMs: number; comparison: Comparison }> {
  if (!supportsSeparateTabs()) {
    throw new Error(
      "This experiment needs credentialless iframes (Chrome or Edge 110 and later): in this browser its hidden tabs would share, and replace, this page's refresh cookie.",
    );
  }
  const started = performance.now();
  const auth = (): Record<string, string> => {
    const token = accessToken();
    return token ? { authorization: `Bearer ${token}` } : {};
  };
  const start = await traced<{ account: Account; error_description?: string }>("none", "/api/scenarios/several-tabs", {
    method: "POST",
    headers: auth(),
  });
  if (!start.response.ok || !start.body?.account)
    throw new Error(start.body?.error_description ?? `HTTP ${start.response.status}`);
  const { account } = start.body;
  const reportPath = `/api/scenarios/several-tabs/${encodeURIComponent(account.id)}`;
  const readFamily = async (id: string) => {
    const report = await traced<{ families?: TabsFamily[]; error_description?: string }>("none", reportPath, {
      headers: auth(),
    });
    const family = report.body?.families?.find((candidate) => candidate.id === id);
    if (!report.response.ok || !family)
      throw new Error(report.body?.error_description ?? "The experiment's refresh family is missing.");
    return family;
  };
  let result: { checks: Check[]; durationMs: number; comparison: Comparison } | null = null;
  let failure: Error | null = null;
  try {
    const runs: ModeRun[] = [];
    for (const mode of TAB_MODES) runs.push(await runMode(mode, account, readFamily, progress));
    result = {
      checks: runs.map(judge),
      durationMs: Math.round(performance.now() - started),
      comparison: compare(runs),
    };
  } catch (error) {
    failure = error as Error;
  }
  const ended = await traced("none", reportPath, { method: "DELETE", headers: auth() }).catch(() => null);
  const leftBehind =
    ended?.response.status === 204
      ? ""
      : " Its throwaway account could not be deleted now; your next run deletes it, and anyone's run after 15 minutes.";
  if (failure) throw new Error(`${failure.message}${leftBehind}`);
  if (leftBehind) throw new Error(`The experiment ran, but stopped at the end.${leftBehind}`);
  return result!;
}
