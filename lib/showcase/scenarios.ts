// The dashboard's experiments. Each one makes real HTTP requests to this
// server (from the server itself, acting as a second client: a thief, a
// foreign site, another device) and reports what was expected and what was
// observed. Credentials are minted for the signed-in user per scenario, so
// running one never signs the dashboard itself out; the stolen-credential
// scenario replays the dashboard's own credentials, which it leaves intact.
import { randomUUID } from "node:crypto";
import { config } from "@/lib/config";
import { formatElapsed } from "@/lib/duration";
import { currentCredential, type CredentialHolder } from "@/lib/auth/credential-version";
import { createSession, invalidateSession } from "@/lib/auth/session";
import { clientShare } from "@/lib/auth/client-networks";
import { createTurns } from "@/lib/showcase/turns";
import { sealSessionToken } from "@/lib/auth/session-cookie";
import { sessionCookieName } from "@/lib/cookie-names";
import { issueAccessToken } from "@/lib/auth/jwt";
import { rotateSigningKey } from "@/lib/auth/keys";
import { startRefreshFamily, type RefreshIssue } from "@/lib/auth/refresh";
import { revokeToken } from "@/lib/auth/token-endpoint";
import { isDenylistEnabled, setDenylistEnabled } from "@/lib/auth/denylist";
import { recordEvent } from "@/lib/auth/events";
import { db } from "@/lib/db";
import { armDatabaseOutage, disarmDatabaseOutage, OUTAGE_HEADER } from "@/lib/showcase/simulated-outage";
import { CachedJwksVerifier } from "@/lib/showcase/cached-jwks-verifier";
import { useServerSwitch } from "@/lib/showcase/demo-controls";
import { SCENARIO_EMAIL_DOMAIN } from "@/lib/showcase/demo";

import {
  call,
  noAnswer,
  request,
  SECOND_CLIENT,
  selfUrl,
  timeUntilRefused as watchUntilRefused,
  type Progress,
  type Reply,
  type Waited,
} from "@/lib/showcase/loopback";
import type { ScenarioName } from "@/lib/showcase/scenario-catalog";

export type { Progress, ScenarioName };

export type Check = {
  mechanism: "session" | "jwt";
  label: string;
  // What happened, told from the defender's side; `pass` only says whether
  // it was what the experiment expected.
  outcome: Outcome;
  expected: string;
  observed: string;
  pass: boolean;
};

// "bad": a credential an attacker could hold got in, or requests failed;
// "good": it was kept out; "info": neither (a design's plain consequence).
export type Outcome = { tone: "bad" | "good" | "info"; said: string };
const bad = (said: string): Outcome => ({ tone: "bad", said });
const good = (said: string): Outcome => ({ tone: "good", said });
const info = (said: string): Outcome => ({ tone: "info", said });

// Numbers a scenario measured, for the comparison strip.
export type Measured = { sessionRevocationMs?: number; jwtRevocationMs?: number; jwtDenylist?: boolean };

export type ScenarioResult = { name: ScenarioName; checks: Check[]; measured: Measured; durationMs: number };
type Run = { checks: Check[]; measured?: Measured };

export type ScenarioContext = {
  user: { id: string; email: string };
  // Per session or token family (`session:<id>`, `family:<id>`), not per
  // user: the demo account is one user for every visitor.
  key: string;
  ip: string | null;
  // The dashboard's own credentials, as this request carried them.
  sessionCookie: string | null;
  accessToken: string | null;
};

// The longest wait a scenario needs: a 3 s token plus the clock tolerance.
const MAX_WAIT_MS = 12_000;

// resource-server/, which this deployment may run beside it
// (RESOURCE_SERVER_URL): the other service, which checks our tokens with
// the public keys alone, or also asks this app (introspection). Status 0
// when it does not answer.
async function askOtherService(url: string, token: string, introspection: boolean): Promise<Reply> {
  try {
    return await request(`${url}/whoami${introspection ? "?introspect=1" : ""}`, { headers: asBearer(token) });
  } catch {
    return noAnswer(`not reachable at ${url}`);
  }
}

const asSession = (cookie: string) => ({ cookie: `${sessionCookieName(false)}=${cookie}` });
const asBearer = (token: string) => ({ authorization: `Bearer ${token}` });
const describe = (r: { status: number; reason: string | null }) =>
  r.status === 0 ? String(r.reason) : r.reason ? `${r.status} (${r.reason})` : String(r.status);

const CHANGED_MEANWHILE = new Error("The account's password was changed (or the account deleted) during the run.");

// The credentials a run mints for the signed-in user: sessions, and access
// tokens of one refresh family. All of them end when the run does, whatever
// happened, so an experiment leaves no live credential behind.
class Scratch {
  private readonly sessions: string[] = [];
  private family: Promise<RefreshIssue> | null = null;
  private holder: Promise<CredentialHolder> | null = null;

  constructor(private readonly user: ScenarioContext["user"]) {}

  // Minted without a password, at the account's credential version as it
  // stands: a password change during the run ends them like any other.
  private credential(): Promise<CredentialHolder> {
    this.holder ??= currentCredential(this.user.id).then((holder) => holder ?? Promise.reject(CHANGED_MEANWHILE));
    return this.holder;
  }

  async session() {
    const created = await createSession(await this.credential(), { ip: "127.0.0.1", userAgent: SECOND_CLIENT });
    if (!created) throw CHANGED_MEANWHILE;
    this.sessions.push(created.session.id);
    return { cookie: await sealSessionToken(created.token), id: created.session.id };
  }

  private startFamily(): Promise<RefreshIssue> {
    this.family ??= this.credential()
      .then((holder) => startRefreshFamily(holder, "api", new Date(), { ip: "127.0.0.1", userAgent: SECOND_CLIENT }))
      .then((family) => family ?? Promise.reject(CHANGED_MEANWHILE));
    return this.family;
  }

  async token(ttlMs?: number) {
    const { familyId } = await this.startFamily();
    return issueAccessToken(this.user, { clientId: "api", familyId, ttlMs });
  }

  // The family's first refresh token, as an API client holds it.
  async refreshToken(): Promise<string> {
    return (await this.startFamily()).token;
  }

  async cleanUp() {
    await db().session.deleteMany({ where: { id: { in: this.sessions } } });
    if (this.family) await db().refreshFamily.deleteMany({ where: { id: (await this.family).familyId } });
  }
}

const timeUntilRefused = (send: () => Promise<Reply>, since: number, report: { what: string; progress: Progress }) =>
  watchUntilRefused(send, since, { ...report, maxWaitMs: MAX_WAIT_MS });

// A replay loop after revocation, for the defender: kept out at once, let
// in for a while, or no answer to tell.
function afterRevocation(what: string, waited: Waited): Outcome {
  const { result, elapsed, accepted } = waited;
  if (result.status === 200) return bad(`${what} still accepted after ${formatElapsed(elapsed)}`);
  if (result.status !== 401) return info(`${what}: ${result.status ? `answered ${result.status}` : "no answer"}`);
  if (accepted === 0) return good(`${what} refused at the first replay`);
  return bad(`${what} accepted ${plural(accepted, "more time")} over ${formatElapsed(elapsed)}, then refused`);
}

// Several credentials ended together: the worst of them, with every replay
// that got in counted.
function afterRevocationOfAll(what: string, waited: Waited[]): Outcome {
  const worst = waited.find((w) => w.result.status !== 401) ?? waited.reduce((a, b) => (b.elapsed > a.elapsed ? b : a));
  return afterRevocation(what, { ...worst, accepted: waited.reduce((sum, w) => sum + w.accepted, 0) });
}

// One replay by someone else, for the defender.
const replayed = (what: string, reply: Reply): Outcome =>
  reply.status === 200
    ? bad(`${what} accepted from another client`)
    : reply.status === 401 || reply.status === 403
      ? good(`${what} refused (${reply.status})`)
      : info(`${what}: ${reply.status ? `answered ${reply.status}` : "no answer"}`);

async function stolenReplay(ctx: ScenarioContext): Promise<Run> {
  const checks: Check[] = [];
  if (ctx.sessionCookie) {
    const r = await call("/api/session", { headers: asSession(ctx.sessionCookie) });
    checks.push({
      mechanism: "session",
      label: "Your session cookie, replayed from another client",
      outcome: replayed("Stolen cookie", r),
      expected: "200: a cookie is a bearer credential; whoever holds it is you until it is revoked",
      observed: describe(r),
      pass: r.status === 200,
    });
  }
  if (ctx.accessToken) {
    const r = await call("/api/me", { headers: asBearer(ctx.accessToken) });
    checks.push({
      mechanism: "jwt",
      label: "Your access token, replayed from another client",
      outcome: replayed("Stolen token", r),
      expected: "200: a JWT is a bearer credential too, valid anywhere until it expires",
      observed: describe(r),
      pass: r.status === 200,
    });
  }
  return { checks };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const millis = (body: Reply["body"], field: string) => (typeof body?.[field] === "number" ? body[field] : NaN);

// What asking this app on every request costs the other service: the median
// of a few calls each way, as the service itself timed them.
async function costOfAsking(url: string, token: string) {
  const checkMs: number[] = [];
  const introspectionMs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const stateless = await askOtherService(url, token, false);
    const asked = await askOtherService(url, token, true);
    if (stateless.status !== 200 || asked.status !== 200) return null;
    checkMs.push(millis(stateless.body, "check_ms"));
    introspectionMs.push(millis(asked.body, "introspection_ms"));
  }
  return { checkMs: median(checkMs), introspectionMs: median(introspectionMs) };
}

async function revokeReplay(_ctx: ScenarioContext, scratch: Scratch, progress: Progress): Promise<Run> {
  const session = await scratch.session();
  const before = await call("/api/session", { headers: asSession(session.cookie) });
  progress(`Session: signed in, ${before.status}`);
  const revokedAt = Date.now();
  await invalidateSession(session.id);
  progress("Session: revoked");
  const sessionAfter = await timeUntilRefused(
    () => call("/api/session", { headers: asSession(session.cookie) }),
    revokedAt,
    { what: "Session", progress },
  );

  const denylist = await isDenylistEnabled();
  // A short-lived token, so the wait for exp can be measured here.
  const access = await scratch.token(3000);
  const jwtBefore = await call("/api/me", { headers: asBearer(access.token) });
  progress(`Token: issued for 3 s, ${jwtBefore.status}`);
  const service = config().resourceServerUrl;
  const cost = service ? await costOfAsking(service, access.token) : null;
  const jwtRevokedAt = Date.now();
  await revokeToken(access.token, { ip: "127.0.0.1", userAgent: SECOND_CLIENT });
  progress(`Token: revoked (denylist ${denylist ? "on" : "off"})`);
  // This app and the other service, both ways, replay it side by side.
  const replay = (what: string, send: () => Promise<Reply>) => timeUntilRefused(send, jwtRevokedAt, { what, progress });
  const [jwtAfter, statelessAfter, askedAfter] = await Promise.all([
    replay("Token", () => call("/api/me", { headers: asBearer(access.token) })),
    service ? replay("Token at the other service", () => askOtherService(service, access.token, false)) : null,
    service ? replay("Token at the other service, asking", () => askOtherService(service, access.token, true)) : null,
  ]);
  const tolerance = config().jwt.clockToleranceSeconds;
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const checks: Check[] = [
    {
      mechanism: "session",
      label: "Revoke a session, then replay its cookie",
      outcome: afterRevocation("Revoked cookie", sessionAfter),
      expected: "200 before; refused by the very next request after revocation",
      observed: `${before.status} before; ${describe(sessionAfter.result)} after ${sessionAfter.elapsed} ms`,
      pass: before.status === 200 && sessionAfter.result.status === 401 && sessionAfter.elapsed < 2000,
    },
    {
      mechanism: "jwt",
      label: `Revoke a 3-second token, then replay it (denylist ${denylist ? "on" : "off"})`,
      outcome: afterRevocation("Revoked token", jwtAfter),
      expected: denylist
        ? "200 before; refused by the very next request (the jti is on the denylist)"
        : `200 before; still accepted until exp (3 s) + ${tolerance} s clock tolerance, then refused`,
      observed: `${jwtBefore.status} before; ${describe(jwtAfter.result)} after ${seconds(jwtAfter.elapsed)}`,
      pass:
        jwtBefore.status === 200 &&
        jwtAfter.result.status === 401 &&
        (denylist ? jwtAfter.elapsed < 2000 : jwtAfter.elapsed >= 1000),
    },
  ];
  if (statelessAfter && askedAfter) {
    checks.push(
      {
        mechanism: "jwt",
        label: "… replayed to another service that checks it with the public keys alone",
        outcome: afterRevocation("Revoked token, at the other service,", statelessAfter),
        expected:
          "accepted until exp + its clock tolerance whatever this app's denylist says: it never asks this app, so it cannot know of the revocation",
        observed: `${describe(statelessAfter.result)} after ${seconds(statelessAfter.elapsed)}`,
        pass: statelessAfter.result.status === 401 && statelessAfter.elapsed >= 1000,
      },
      {
        mechanism: "jwt",
        label: "… and to that service asking this app on every request (introspection, RFC 7662)",
        outcome: afterRevocation("Revoked token, at the other service,", askedAfter),
        expected: "refused by the very next request, at the price of a call to this app each time",
        observed: `${describe(askedAfter.result)} after ${askedAfter.elapsed} ms${
          cost
            ? `; per request: its own check ${cost.checkMs.toFixed(2)} ms, asking this app ${cost.introspectionMs.toFixed(2)} ms more (medians of 5)`
            : ""
        }`,
        pass: askedAfter.result.status === 401 && askedAfter.elapsed < 2000 && cost !== null,
      },
    );
  }
  return {
    checks,
    measured: { sessionRevocationMs: sessionAfter.elapsed, jwtRevocationMs: jwtAfter.elapsed, jwtDenylist: denylist },
  };
}

// Sign out everywhere on a throwaway account with three devices: two
// browser sessions and an API client (a 3-second access token, so the wait
// for exp can be measured here). After the first session ends them all,
// every credential is replayed side by side until refused. Run with
// denylist mode as it is and, where the demo controls allow switching it,
// the other way too (then restored).
// Runs that flip denylist mode take turns in this process, so one never
// restores what another set (instances are not coordinated: demo controls
// are for one machine); by address in turn, so one visitor's runs cannot
// hold another's back (lib/showcase/turns.ts).
const inFlipTurn = createTurns();

async function signOutEverywhere(ctx: ScenarioContext, _scratch: Scratch, progress: Progress): Promise<Run> {
  return inFlipTurn(clientShare(ctx), async () => {
    const current = await isDenylistEnabled();
    // Flipping the mode counts as one of the caller's server-wide switches.
    const flip = config().demoControls ? await useServerSwitch(ctx) : null;
    const modes = flip?.ok ? [current, !current] : [current];
    const checks: Check[] = [];
    try {
      for (const denylist of modes) {
        await setDenylistEnabled(denylist);
        checks.push(...(await endEverywhereAndReplay(denylist, progress)));
      }
    } finally {
      await setDenylistEnabled(current);
    }
    if (modes.length === 1) {
      checks.push({
        mechanism: "jwt",
        label: `With denylist mode ${current ? "off" : "on"}`,
        outcome: info("Not run"),
        expected: flip
          ? "not run: server-wide switches flipped too often; try again later"
          : "not run: switching denylist mode needs DEMO_CONTROLS=on (it changes the check for everyone)",
        observed: "not run",
        pass: true,
      });
    }
    return { checks };
  });
}

async function endEverywhereAndReplay(denylist: boolean, progress: Progress): Promise<Check[]> {
  const user = await db().user.create({
    data: { email: `sign-out-everywhere-${randomUUID()}${SCENARIO_EMAIL_DOMAIN}`, passwordHash: "!" },
  });
  try {
    const scratch = new Scratch(user);
    const [laptop, phone] = [await scratch.session(), await scratch.session()];
    const access = await scratch.token(3000);
    const refreshToken = await scratch.refreshToken();
    const mode = `denylist ${denylist ? "on" : "off"}`;
    progress(`${mode}: 3 devices signed in`);
    const ended = await call("/api/devices", { method: "DELETE", headers: asSession(laptop.cookie) });
    const endedAt = Date.now();
    progress(`${mode}: signed out everywhere, ${ended.status}`);
    const replay = (what: string, send: () => Promise<Reply>) =>
      timeUntilRefused(send, endedAt, { what: `${mode}: ${what}`, progress });
    const [laptopAfter, phoneAfter, refreshAfter, accessAfter] = await Promise.all([
      replay("first cookie", () => call("/api/session", { headers: asSession(laptop.cookie) })),
      replay("second cookie", () => call("/api/session", { headers: asSession(phone.cookie) })),
      replay("refresh token", () =>
        call("/api/auth/refresh", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ refresh_token: refreshToken }),
        }),
      ),
      replay("access token", () => call("/api/me", { headers: asBearer(access.token) })),
    ]);
    const atOnce = (r: { result: Reply; elapsed: number }) => r.result.status === 401 && r.elapsed < 2000;
    return [
      {
        mechanism: "session",
        label: `${mode}: sign out everywhere from one of 3 devices (2 browser sessions, 1 API client), then both session cookies replayed`,
        outcome: afterRevocationOfAll("Signed-out cookies", [laptopAfter, phoneAfter]),
        expected: "refused by the very next request: the records are gone",
        observed: `${ended.status}; then ${describe(laptopAfter.result)} after ${laptopAfter.elapsed} ms and ${phoneAfter.elapsed} ms`,
        pass: ended.status === 200 && atOnce(laptopAfter) && atOnce(phoneAfter),
      },
      {
        mechanism: "jwt",
        label: `${mode}: the API client's refresh token`,
        outcome: afterRevocation("Signed-out refresh token", refreshAfter),
        expected: "refused by the very next request: its family is revoked",
        observed: `${describe(refreshAfter.result)} after ${refreshAfter.elapsed} ms`,
        pass: atOnce(refreshAfter),
      },
      {
        mechanism: "jwt",
        label: `${mode}: the API client's access token (issued for 3 s)`,
        outcome: afterRevocation("Signed-out access token", accessAfter),
        expected: denylist
          ? "refused by the very next request: denylist mode also looks up the token's family"
          : `still accepted until exp + ${config().jwt.clockToleranceSeconds} s tolerance (with the default ${Math.round(config().jwt.accessTokenTtlMs / 60_000)}-minute lifetime, up to that long)`,
        observed: `${describe(accessAfter.result)} after ${formatElapsed(accessAfter.elapsed)}`,
        pass:
          accessAfter.result.status === 401 && (denylist ? accessAfter.elapsed < 2000 : accessAfter.elapsed >= 1000),
      },
    ];
  } finally {
    await db().user.delete({ where: { id: user.id } });
  }
}

async function expiry(_ctx: ScenarioContext, scratch: Scratch, progress: Progress): Promise<Run> {
  const access = await scratch.token(2000);
  const issuedAt = Date.now();
  const before = await call("/api/me", { headers: asBearer(access.token) });
  progress(`Token: issued for 2 s, ${before.status}`);
  const after = await timeUntilRefused(() => call("/api/me", { headers: asBearer(access.token) }), issuedAt, {
    what: "Token",
    progress,
  });

  // Waiting out a 30-minute idle limit is not a demo: the record's last-seen
  // is moved back past it instead, which is what the clock would have done.
  const session = await scratch.session();
  const sessionBefore = await call("/api/session", { headers: asSession(session.cookie) });
  const { idleTimeoutMs } = config().session;
  await db().session.update({
    where: { id: session.id },
    data: { lastSeenAt: new Date(Date.now() - idleTimeoutMs - 1000) },
  });
  const sessionAfter = await call("/api/session", { headers: asSession(session.cookie) });
  const deleted = (await db().session.count({ where: { id: session.id } })) === 0;
  const checks: Check[] = [
    {
      mechanism: "jwt",
      label: "A token issued for 2 s",
      outcome:
        after.result.status === 401
          ? info(`Accepted until it expired, then refused after ${formatElapsed(after.elapsed)}`)
          : bad(`Still accepted after ${formatElapsed(after.elapsed)}`),
      expected: `200 at first; refused once exp + ${config().jwt.clockToleranceSeconds} s tolerance has passed`,
      observed: `${before.status} at first; ${describe(after.result)} after ${(after.elapsed / 1000).toFixed(1)} s`,
      pass: before.status === 200 && after.result.status === 401 && after.result.reason === "The access token expired.",
    },
    {
      mechanism: "session",
      label: `A session left idle past ${Math.round(idleTimeoutMs / 60_000)} min (its last-seen moved back)`,
      outcome:
        sessionAfter.status === 401
          ? good("Idle session refused, its record deleted")
          : bad("Idle session still accepted"),
      expected: "200 while active; refused (idle) afterwards, and its record deleted",
      observed: `${sessionBefore.status} while active; ${describe(sessionAfter)}; record ${deleted ? "deleted" : "still there"}`,
      pass: sessionBefore.status === 200 && sessionAfter.status === 401 && deleted,
    },
  ];
  return { checks };
}

// Fresh tokens, each checked by this app (/api/me) and by an outside
// verifier, until `done` says so.
async function checkFreshTokens(
  scratch: Scratch,
  outside: CachedJwksVerifier,
  done: (kid: string, round: number) => boolean,
  pauseMs: number,
  report: { what: string; progress: Progress },
) {
  const tally = { tokens: 0, ownFailures: 0, outsideFailures: 0, checkedWithOldCopy: 0 };
  for (let round = 0; ; round++) {
    const fresh = await scratch.token();
    tally.tokens++;
    const own = (await call("/api/me", { headers: asBearer(fresh.token) })).status;
    if (own !== 200) tally.ownFailures++;
    if (outside.holdsCopy()) tally.checkedWithOldCopy++;
    const accepted = await outside.verify(fresh.token);
    if (!accepted) tally.outsideFailures++;
    report.progress(
      `${report.what}: token ${tally.tokens} (key ${fresh.kid}): this app ${own}, the other service ${accepted ? "accepts" : "refuses"}`,
    );
    if (done(fresh.kid, round)) return tally;
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? "" : "s"}`;

// Requests that should have worked and did not: availability lost.
const failures = (count: number): Outcome =>
  count === 0 ? good("No request failed") : bad(`${plural(count, "request")} failed`);

// With the database down: failing closed keeps everyone out, serving keeps
// the valid credential in; neither lets an invalid one through.
const servedOrNot = (reply: Reply): Outcome =>
  reply.status === 200
    ? info("Still served (200)")
    : reply.status === 503
      ? info("Fails closed (503): nobody let in, nobody served")
      : reply.status === 0
        ? info("No answer")
        : bad(`Answered ${reply.status}`);

// Both rotations, each watched by this app and by an outside verifier that
// fetched the JWKS just before (and honours its max-age): immediate, then
// scheduled, which takes the JWKS's max-age plus a few seconds.
async function keyRotation(ctx: ScenarioContext, scratch: Scratch, progress: Progress): Promise<Run> {
  const jwksUrl = selfUrl("/.well-known/jwks.json");
  const maxAge = `${Math.round(config().jwt.jwksMaxAgeMs / 1000)} s`;
  const rotated = async (immediate: boolean) => {
    const rotation = await rotateSigningKey(new Date(), { immediate });
    await recordEvent({
      type: "keys.rotated",
      userId: ctx.user.id,
      mechanism: "jwt",
      detail: { kid: rotation.key.kid, by: "scenario", immediate, activates_at: rotation.activatesAt.toISOString() },
    });
    return rotation;
  };

  const first = new CachedJwksVerifier(jwksUrl);
  await first.verify((await scratch.token()).token);
  const now = await rotated(true);
  progress(`Immediate rotation: key ${now.key.kid} signs from now`);
  const immediate = await checkFreshTokens(scratch, first, (_, round) => round >= 9, 100, {
    what: "Immediate",
    progress,
  });

  const second = new CachedJwksVerifier(jwksUrl);
  await second.verify((await scratch.token()).token);
  const scheduled = await rotated(false);
  const leadSeconds = Math.round((scheduled.activatesAt.getTime() - Date.now()) / 1000);
  progress(`Scheduled rotation: key ${scheduled.key.kid} published, signing in ${leadSeconds} s`);
  let signedAt = 0;
  const deadline = scheduled.activatesAt.getTime() + MAX_WAIT_MS;
  const later = await checkFreshTokens(
    scratch,
    second,
    (kid) => {
      if (kid === scheduled.key.kid) signedAt = Date.now();
      return signedAt > 0 || Date.now() > deadline;
    },
    500,
    { what: "Scheduled", progress },
  );
  return {
    checks: [
      {
        mechanism: "jwt",
        label: `Immediate rotation (new key ${now.key.kid}): ${immediate.tokens} new tokens checked by this app`,
        outcome: failures(immediate.ownFailures),
        expected: "0 failures: every instance reloads its keys when it meets an unknown kid",
        observed: plural(immediate.ownFailures, "failure"),
        pass: immediate.ownFailures === 0,
      },
      {
        mechanism: "jwt",
        label: `… and by another service that cached the JWKS just before (max-age ${maxAge})`,
        outcome: failures(immediate.outsideFailures),
        expected: "refused while its copy of the JWKS is fresh (the new key is not in it); accepted once it refetches",
        observed: `${immediate.outsideFailures} of ${immediate.tokens} refused (${immediate.checkedWithOldCopy} checked with the old copy)`,
        pass: immediate.outsideFailures === immediate.checkedWithOldCopy,
      },
      {
        mechanism: "jwt",
        label: `Scheduled rotation (new key ${scheduled.key.kid}): published now, signing in ${leadSeconds} s; ${later.tokens} tokens checked by both until it signed`,
        outcome: signedAt
          ? failures(later.ownFailures + later.outsideFailures)
          : info("The new key did not start signing in time"),
        expected: "0 failures anywhere: the other service refetched the JWKS, new key included, before it signed",
        observed: signedAt
          ? `${plural(later.ownFailures + later.outsideFailures, "failure")}; the other service fetched the JWKS ${plural(second.fetches, "time")}`
          : "the new key did not start signing in time",
        pass: signedAt > 0 && later.ownFailures === 0 && later.outsideFailures === 0,
      },
    ],
  };
}

async function csrf(_ctx: ScenarioContext, scratch: Scratch): Promise<Run> {
  const session = await scratch.session();
  const foreign = {
    origin: "https://evil.example",
    "sec-fetch-site": "cross-site",
    "content-type": "application/x-www-form-urlencoded",
  };
  const cookieAttack = await call("/api/sessions", {
    method: "DELETE",
    headers: { ...foreign, ...asSession(session.cookie) },
  });
  const stillValid = await call("/api/session", { headers: asSession(session.cookie) });
  // A form on another site can make the browser send cookies, never an
  // Authorization header: the Bearer endpoint sees no credential at all.
  const bearerAttack = await call("/api/auth/denylist", { method: "PUT", headers: foreign, body: "enabled=false" });
  const checks: Check[] = [
    {
      mechanism: "session",
      label: "A foreign site's form posts to 'sign out everywhere' with your cookie",
      outcome:
        cookieAttack.status === 403 && stillValid.status === 200
          ? good("Cross-site request refused; your session untouched")
          : bad(`Cross-site request answered ${cookieAttack.status}; your session afterwards ${stillValid.status}`),
      expected:
        "403: the Origin / Sec-Fetch-Site check refuses it (and SameSite=Lax keeps browsers from sending the cookie)",
      observed: `${describe(cookieAttack)}; your session afterwards: ${stillValid.status}`,
      pass: cookieAttack.status === 403 && stillValid.status === 200,
    },
    {
      mechanism: "jwt",
      label: "A foreign site's form posts to a Bearer endpoint",
      outcome:
        bearerAttack.status === 401 || bearerAttack.status === 403
          ? good("Nothing to ride: no credential arrived")
          : bad(`Cross-site request answered ${bearerAttack.status}`),
      expected: "401: a form cannot attach the Authorization header, so there is nothing to ride",
      observed: describe(bearerAttack),
      pass: bearerAttack.status === 401,
    },
  ];
  return { checks };
}

async function dbDown(_ctx: ScenarioContext, scratch: Scratch): Promise<Run> {
  const session = await scratch.session();
  const access = await scratch.token();
  const denylist = await isDenylistEnabled();
  const key = armDatabaseOutage();
  try {
    const down = { [OUTAGE_HEADER]: key };
    const sessionDown = await call("/api/session", { headers: { ...down, ...asSession(session.cookie) } });
    const jwtDown = await call("/api/me", { headers: { ...down, ...asBearer(access.token) } });
    const service = config().resourceServerUrl;
    const elsewhere = service ? await askOtherService(service, access.token, false) : null;
    disarmDatabaseOutage(key);
    const sessionBack = await call("/api/session", { headers: asSession(session.cookie) });
    const checks: Check[] = [
      {
        mechanism: "session",
        label: "Session check with the database unavailable (simulated for these requests only)",
        outcome: servedOrNot(sessionDown),
        expected: "503: fails closed, never lets a request through unchecked; works again once the database is back",
        observed: `${describe(sessionDown)}; afterwards ${sessionBack.status}`,
        pass: sessionDown.status === 503 && sessionBack.status === 200,
      },
      {
        mechanism: "jwt",
        label: `JWT check with the database unavailable (denylist ${denylist ? "on" : "off"})`,
        outcome: servedOrNot(jwtDown),
        expected: denylist
          ? "503: the denylist lookup cannot be made, so it fails closed"
          : "200: verification needs only the cached public key",
        observed: describe(jwtDown),
        pass: denylist ? jwtDown.status === 503 : jwtDown.status === 200,
      },
    ];
    if (elsewhere) {
      checks.push({
        mechanism: "jwt",
        label: "The same token at another service, meanwhile",
        outcome: servedOrNot(elsewhere),
        expected:
          "200 whatever this app's denylist mode: it checks with the public keys it fetched and never touches this app's database (asked by introspection instead, it would have to wait for the database too)",
        observed: describe(elsewhere),
        pass: elsewhere.status === 200,
      });
    }
    return { checks };
  } finally {
    disarmDatabaseOutage(key);
  }
}

const RUNNERS: Record<ScenarioName, (ctx: ScenarioContext, scratch: Scratch, progress: Progress) => Promise<Run>> = {
  "stolen-replay": stolenReplay,
  "revoke-replay": revokeReplay,
  "sign-out-everywhere": signOutEverywhere,
  expiry,
  "key-rotation": keyRotation,
  csrf,
  "db-down": dbDown,
};

export async function runScenario(
  name: ScenarioName,
  ctx: ScenarioContext,
  progress: Progress = () => {},
): Promise<ScenarioResult> {
  const started = Date.now();
  const scratch = new Scratch(ctx.user);
  try {
    const { checks, measured = {} } = await RUNNERS[name](ctx, scratch, progress);
    return { name, checks, measured, durationMs: Date.now() - started };
  } finally {
    await scratch.cleanUp();
  }
}
