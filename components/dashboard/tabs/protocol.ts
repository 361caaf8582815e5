// What the several-tabs experiment's page (./several-tabs.ts) and its hidden
// tabs (./HiddenTab.tsx) say to each other over postMessage, same origin
// only. Every order carries a step number, and the tab's report repeats it.
import type { Refreshed } from "../jwt/cross-tab";

// How the tabs refresh: each on its own (with a client whose spent refresh
// tokens are never answered again, or with the grace window), or as the
// dashboard's client does, one at a time under a Web Lock.
export type TabsMode = "alone-strict" | "alone-grace" | "locks";

export const TAB_MODES: readonly TabsMode[] = ["alone-strict", "alone-grace", "locks"];

// A run's name, in the hidden tab's URL: the Web Lock and channel names of
// its tabs are made from it, apart from the page's own.
export const RUN_NAME = /^[a-z0-9]{8,32}$/;

export const experimentNames = (run: string) => ({
  lock: `svj-several-tabs-${run}-lock`,
  channel: `svj-several-tabs-${run}-channel`,
});

export type TabCommand =
  | { type: "sign-in"; email: string; password: string; clientId: "browser" | "browser-strict" }
  // Opened after the others: as a reloaded dashboard does, it gets a token
  // from another tab or with the refresh cookie.
  | { type: "open" }
  // The refresh timer fires, in every tab at once (tokens issued together
  // expire together; a laptop wakes up).
  | { type: "due" };

export type TabOrder = TabCommand & { step: number };

export type TabOutcome = Refreshed["kind"] | "signed-in" | "sign-in-failed" | "nothing" | "error";

export type TabReport =
  | { type: "ready"; tab: number; credentialless: boolean }
  | {
      type: "report";
      tab: number;
      step: number;
      // Refresh requests this tab has sent so far.
      sent: number;
      holdsToken: boolean;
      // The refresh family (`sid`) of the token held, if any.
      family: string | null;
      outcome: TabOutcome;
    };
