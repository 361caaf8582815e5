// "Which should I use?": five questions, and a recommendation in which
// every reason links to the experiment that shows it. Pure, so /docs can
// answer a plain GET form (it works without JavaScript, and the answers
// are the URL, to share) and the logic is unit-tested.
import type { CatalogName } from "./scenario-catalog";

export const QUESTIONS = [
  {
    id: "app",
    question: "What are you building?",
    options: [
      ["site", "A site whose pages and API share one origin"],
      ["api", "An API for clients on other origins"],
    ],
  },
  {
    id: "services",
    question: "Must other services check who is calling, without asking you each time?",
    options: [
      ["yes", "Yes"],
      ["no", "No"],
    ],
  },
  {
    id: "clients",
    question: "Will mobile apps, command-line tools or other non-browser clients sign in?",
    options: [
      ["yes", "Yes"],
      ["no", "No"],
    ],
  },
  {
    id: "revocation",
    question: "When someone signs out everywhere, or changes their password, how soon must their other devices be out?",
    options: [
      ["next", "On the next request"],
      ["minutes", "Within minutes (an access token's lifetime)"],
    ],
  },
  {
    id: "store",
    question: "Can every instance reach one shared database or cache on every request?",
    options: [
      ["yes", "Yes"],
      ["no", "No"],
    ],
  },
] as const;

type Question = (typeof QUESTIONS)[number];
export type Answers = { [Q in Question as Q["id"]]: Q["options"][number][0] };

// The answers from a query string, or null unless every question has a
// valid answer.
export function readAnswers(params: Record<string, string | string[] | undefined>): Answers | null {
  const answers: Record<string, string> = {};
  for (const { id, options } of QUESTIONS) {
    const value = params[id];
    if (typeof value !== "string" || !options.some(([option]) => option === value)) return null;
    answers[id] = value;
  }
  return answers as Answers;
}

// Where a reason is shown: a dashboard experiment, or a page or file.
export type Reason = { text: string } & ({ scenario: CatalogName } | { href: string; label: string });
// Which of the strategies lab's designs (/lab, docs/strategies.md) to
// build it with, and why that one.
export type LabPick = { strategy: string; why: string };
export type Recommendation = {
  choice: "session" | "jwt" | "both";
  title: string;
  summary: string;
  reasons: Reason[];
  designs: LabPick[];
};

const TITLES: Record<Recommendation["choice"], [title: string, summary: string]> = {
  session: [
    "Sessions",
    "A random id in a sealed HttpOnly cookie, and a row per signed-in device: the session side of this app.",
  ],
  jwt: [
    "JWT access tokens, with rotating refresh tokens",
    "Short-lived signed access tokens that any service checks with the published keys, renewed by refresh tokens that are rotated and watched for reuse: the JWT side of this app.",
  ],
  both: [
    "Both: a session for your own pages, JWTs for everyone else",
    "Your pages keep a session cookie (nothing for page script to steal, revocation on the next request); other services and non-browser clients get access tokens. One account, one sign-out everywhere covers both, as in this app.",
  ],
};

export function recommend(answers: Answers): Recommendation {
  const tokens = answers.services === "yes" || answers.clients === "yes" || answers.app === "api";
  const choice = !tokens ? "session" : answers.app === "site" ? "both" : "jwt";
  const reasons: Reason[] = [];
  if (choice !== "jwt") {
    reasons.push(
      {
        text: "Page script cannot read an HttpOnly session cookie, so an injected script cannot carry the credential away; a token in page memory it can.",
        scenario: "script-read",
      },
      {
        text: "A cookie goes with cross-site requests too: an Origin check refuses a cross-site form (and SameSite=Lax keeps browsers from sending the cookie with one).",
        scenario: "csrf",
      },
    );
    if (answers.revocation === "next")
      reasons.push({
        text: "Revoking a session deletes its row: the very next request is refused.",
        scenario: "revoke-replay",
      });
  }
  const conflict = answers.revocation === "next" && answers.store === "no" && choice !== "session";
  if (choice !== "session") {
    if (answers.app === "api")
      reasons.push({
        text: "Clients on other origins send the token in an Authorization header, which a browser never adds by itself: no cookie crosses origins, so there is nothing for a cross-site form to ride.",
        scenario: "csrf",
      });
    if (answers.services === "yes")
      reasons.push({
        text: "Another service checks access tokens with the published keys alone, found by discovery; key rotations are scheduled so its cached key set never meets an unknown key.",
        scenario: "key-rotation",
      });
    if (answers.clients === "yes")
      reasons.push({
        text: "A non-browser client sends an Authorization header, keeps its tokens in a private file and refreshes them when they expire.",
        href: "/docs/code/client/cli.ts",
        label: "client/cli.ts (npm run client)",
      });
    if (answers.revocation === "next" && !conflict)
      reasons.push({
        text: "A revoked access token keeps working until it expires unless every check asks: denylist mode here, introspection at another service. That lookup is a session's cost again; budget for it.",
        scenario: "sign-out-everywhere",
      });
    if (answers.revocation === "minutes")
      reasons.push({
        text: "Keep access tokens short-lived: a stolen one works until exp, and a refresh token replayed by a thief ends its whole family.",
        scenario: "stolen-replay",
      });
  }
  if (conflict)
    reasons.push({
      text: "These two answers cannot both hold: ending access on the next request needs a lookup in a store every instance reads. Without one, the nearest you can get is an access-token lifetime as short as you can afford.",
      scenario: "revoke-replay",
    });
  if (answers.store === "yes")
    reasons.push({
      text: "With one shared store, every instance answers for every credential, and an instance can die without signing anyone out.",
      href: "/docs/code/e2e/cluster/chaos.spec.ts",
      label: "e2e/cluster/chaos.spec.ts",
    });
  else {
    if (choice !== "jwt")
      reasons.push({
        text: "Without a shared store, sessions have nowhere to live that every instance can read: run one (a database you already have will do), or keep to one instance.",
        scenario: "db-down",
      });
    if (choice !== "session")
      reasons.push({
        text: "Access-token checks need no store (and keep working while the database is down), but sign-in, refresh and revocation do.",
        scenario: "db-down",
      });
  }
  const [title, summary] = TITLES[choice];
  return { choice, title, summary, reasons, designs: labDesigns(answers, choice) };
}

// The lab's six designs, narrowed by the same answers.
function labDesigns(answers: Answers, choice: Recommendation["choice"]): LabPick[] {
  const picks: LabPick[] = [];
  if (choice !== "jwt") {
    if (answers.services === "yes")
      picks.push({
        strategy: "bff",
        why: "Your pages call other services as the user: keep their tokens on your server and give the browser only a session cookie, as the IETF's guidance for browser-based apps recommends for apps that handle personal data.",
      });
    if (answers.store === "yes")
      picks.push({
        strategy: "server-session",
        why: "One indexed read per request, refused at the next request once revoked.",
      });
    else
      picks.push({
        strategy: answers.revocation === "next" ? "sealed-cookie-stamp" : "sealed-cookie",
        why:
          answers.revocation === "next"
            ? "The session sealed in the cookie needs no session store, but ending it at once brings back one read per request (a per-user stamp), which needs a store after all."
            : "The session sealed in the cookie needs no store at all; a stolen copy works until the seal expires, so keep that lifetime short.",
      });
    if (answers.store === "yes" && answers.revocation === "minutes")
      picks.push({
        strategy: "cookie-cache",
        why: "If the session read is your bottleneck: a short-lived sealed copy answers without it, and a revocation waits out the copy's lifetime.",
      });
  }
  if (choice !== "session") {
    picks.push({
      strategy: "bearer-jwt",
      why: "Checked with the published keys alone, by any service; revocation waits for exp unless a check asks.",
    });
    if (answers.services === "no")
      picks.push({
        strategy: "opaque-bearer",
        why: "With one service checking it, a random token looked up per request is simpler than a signed one, and refused at the next request once revoked.",
      });
  }
  return picks;
}
