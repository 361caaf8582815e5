// The dashboard's experiments, by name: what each is called and does, what
// it shows when it goes as expected (the takeaway), and where it runs. The server runs most (lib/showcase/scenarios.ts, through
// POST /api/scenarios/<name>); "script-read" runs in the page, because what
// it tests is what page script can reach, and "several-tabs" too, because
// what it tests is how tabs of one browser share a cookie. Pages refer to a
// scenario by its name, never by its position.
export const SCENARIO_CATALOG = [
  {
    name: "stolen-replay",
    runs: "server",
    title: "Stolen credential, replayed",
    what: "The server replays your own cookie and token from another client.",
    seconds: 1,
    takeaway:
      "Both are bearer credentials: whoever holds a copy is you until it ends, so keep them out of script's reach (an HttpOnly cookie; a short-lived token in memory) and make sure you can end them.",
  },
  {
    name: "revoke-replay",
    runs: "server",
    title: "Revoke, then replay",
    what: "Revokes a fresh session and a 3-second token, then measures how long each keeps working, here and at another service.",
    seconds: 10,
    takeaway:
      "A session ends at its next request; a stateless JWT ends at exp, here and at every service that checks it alone: keep access tokens short, or pay a lookup on every request (denylist, introspection) for revocation that takes effect at once.",
  },
  {
    name: "sign-out-everywhere",
    runs: "server",
    title: "Sign out everywhere",
    what: "A throwaway account on three devices (two browser sessions, an API client with a 3-second token) signs out everywhere; each credential is replayed until refused, with denylist mode off and on.",
    seconds: 10,
    takeaway:
      'Signing out ends sessions and refresh tokens at once, but an access token keeps working until exp unless every check asks the server: with JWTs, "sign out everywhere" is as quick as the access-token lifetime, or costs a lookup per request.',
  },
  {
    name: "several-tabs",
    runs: "browser",
    title: "Several tabs refresh at once",
    what: "Five hidden tabs share a refresh cookie and their refresh timers fire together, four times: each tab on its own without and with the grace window, then one at a time under a Web Lock. The server counts requests, rotations and sign-outs.",
    seconds: 20,
    takeaway:
      "Rotated refresh tokens in a shared cookie need one tab at a time (a Web Lock) and the new token shared with the others; a grace window only forgives some of the races, and the rest sign the user out.",
  },
  {
    name: "expiry",
    runs: "server",
    title: "Expiry",
    what: "A token issued for 2 s is replayed until refused; an idle session is checked.",
    seconds: 8,
    takeaway:
      "Both expire at the next check after their time: the JWT by its own exp claim with nothing stored, the session by its stored last-seen, which also lets the server end it earlier.",
  },
  {
    name: "key-rotation",
    runs: "server",
    title: "Key rotation, immediate and scheduled",
    what: "Rotates the signing key twice while this app and another service (with a cached JWKS) check new tokens: at once, then scheduled. The scheduled one waits the JWKS's max-age (about a minute in the demo).",
    seconds: 70,
    takeaway:
      "Publish a new signing key before signing with it, at least the JWKS's max-age ahead, or services holding a cached key set refuse every new token until they refetch it.",
  },
  {
    name: "csrf",
    runs: "server",
    title: "Cross-site form POST",
    what: "A foreign origin posts to a cookie endpoint and to a Bearer endpoint.",
    seconds: 1,
    takeaway:
      "A browser attaches cookies to cross-site requests, so every cookie endpoint needs an Origin check (and SameSite); a form cannot set an Authorization header, so Bearer endpoints are not exposed to it.",
  },
  {
    name: "script-read",
    runs: "browser",
    title: "Page script reads credentials",
    what: "This page's own script tries every way to get each credential: cookies, and every endpoint it can fetch.",
    seconds: 1,
    takeaway:
      "HttpOnly keeps cookies out of page script, while a token in page memory is one injected script away: short lifetimes and a strict Content-Security-Policy are what protect it.",
  },
  {
    name: "db-down",
    runs: "server",
    title: "Database unavailable",
    what: "The database is made unreachable for the scenario's requests only; another service checks the same token meanwhile.",
    seconds: 1,
    takeaway:
      "Sessions fail closed when their store is down, while stateless JWT checks keep serving here and elsewhere (unless they must ask the denylist): availability is the JWT's advantage, and revocation its price.",
  },
] as const;

type Entry = (typeof SCENARIO_CATALOG)[number];
export type CatalogName = Entry["name"];
export type ScenarioName = Extract<Entry, { runs: "server" }>["name"];

export const SERVER_SCENARIOS = SCENARIO_CATALOG.filter((entry) => entry.runs === "server").map(
  (entry) => entry.name,
) as ScenarioName[];

export function isServerScenario(name: string): name is ScenarioName {
  return (SERVER_SCENARIOS as string[]).includes(name);
}

// "2. Revoke, then replay": the number the dashboard shows beside it.
export function scenarioLabel(name: CatalogName): string {
  const index = SCENARIO_CATALOG.findIndex((entry) => entry.name === name);
  return `${index + 1}. ${SCENARIO_CATALOG[index]!.title}`;
}

// POST /api/scenarios/<name> with this in Accept answers the steps as they
// happen, one JSON line each, then the result (lib/showcase/progress-stream.ts).
export const STEPS_MEDIA_TYPE = "application/x-ndjson";
