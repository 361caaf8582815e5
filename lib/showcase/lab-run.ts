// "Run the lab" (/lab): one throwaway account signed in every way the lab
// offers, and each strategy measured from real requests to this server,
// made by the server itself as a second client (lib/showcase/loopback.ts):
// what the credential weighs, what a check reads and takes, what happens
// to it cross-site, with the store down, at another service, in the hands
// of page script, and after it is revoked. Each measured value names the
// step of the run that measured it, so the page can link a cell to it.
import "server-only";
import { z } from "zod";
import { config } from "@/lib/config";
import { formatElapsed } from "@/lib/duration";
import { db } from "@/lib/db";
import { DATABASE_UNAVAILABLE, errorResponse, throttledError, type AppError, type Result } from "@/lib/errors";
import { isDatabaseUnavailable } from "@/lib/database-errors";
import { checkSameOrigin, clientInfo, readJsonBody } from "@/lib/http";
import { parseAuthTiming } from "@/lib/server-timing";
import { isDenylistEnabled } from "@/lib/auth/denylist";
import { revokeUserFamilies } from "@/lib/auth/refresh";
import { stampValidAfter } from "@/lib/auth/sealed-cookie";
import { invalidateUserSessions } from "@/lib/auth/session";
import { verifyCredentials, type VerifiedUser } from "@/lib/auth/signin";
import { runOneAtATime } from "@/lib/showcase/demo-controls";
import { progressResponse } from "@/lib/showcase/progress-stream";
import { SANDBOX_EMAIL_DOMAIN } from "@/lib/showcase/sandbox";
import { armRunSignIn, disarmRunSignIn, LAB_RUN_HEADER } from "@/lib/showcase/lab-run-keys";
import { labCookieName } from "@/lib/cookie-names";
import { processState } from "@/lib/process-state";
import { listStrategies } from "@/lib/showcase/lab";
import { call, noAnswer, request, timeUntilRefused, type Progress, type Reply } from "@/lib/showcase/loopback";
import { armDatabaseOutage, disarmDatabaseOutage, OUTAGE_HEADER } from "@/lib/showcase/simulated-outage";

// Checks per strategy for the check time and store reads.
const CHECKS = 30;
// Sizes of claims tried: up to where a browser (4096 bytes of cookie),
// this app's token check (4096 characters) and Node (16 KiB of headers)
// stop a credential.
const CLAIMS_LADDER = [0, 1024, 2048, 3072, 4096, 8192, 12_288, 16_384];
const LAST_RUN_KEY = "lab.last-run";

// A value, and the step of the run (its index) that measured it.
export type Cell<T> = T & { step: number };

export type StrategyRun = {
  name: string;
  transport: "cookie" | "header";
  state: "server" | "token" | "both";
  variantOf: string | null;
  // The header value that carries the credential (Cookie or
  // Authorization), in bytes, and the rows signing in wrote (audit event included).
  signIn: Cell<{ credentialBytes: number; storeWrites: number }>;
  // The median over the checks, as the server counted them.
  storeReads: Cell<{ reads: number; serviceCalls: number; n: number }>;
  // Server-Timing's auth entry over the checks: median and middle half, ms.
  checkMs: Cell<{ median: number; p25: number; p75: number; n: number }>;
  // A revocation from another site: whether the credential rides along (a
  // cookie does, as far as SameSite lets it; a form cannot set a header),
  // the answer, and whether it was still accepted afterwards.
  crossSite: Cell<{ ridesAlong: boolean; status: number; stillAccepted: boolean }>;
  // A check with the store unavailable (simulated for this request only).
  storeDown: Cell<{ status: number }>;
  // The credential, as it travels, sent to the resource server (null: none configured).
  otherService: Cell<{ status: number; reason: string | null }> | null;
  // A copy page script could read (measured in the page), replayed from here.
  // Whether the page's own script found the same (measured in the browser).
  pageScript: Cell<{ readable: boolean; replayStatus: number | null; pageAgreed: boolean }>;
  // Signed in again with claims of growing size, for the strategies whose
  // credential carries them (none: it only names server state, and does
  // not grow).
  size: Cell<{ carriesClaims: boolean; rungs: SizeRung[] }>;
  revocation: Cell<{
    revoked: boolean;
    stillValidUntil: string | null;
    refusedAfterMs: number | null;
    acceptedReplays: number;
    watchedMs: number;
  }>;
};

// One size tried: the credential signing in handed out (bytes of its Cookie
// or Authorization header value; of a cookie, also its name and value, what
// a browser's limit counts), and the check's answer. Status 0: no answer
// reached this client (Node's own 16 KiB limit on the headers it reads).
export type SizeRung = {
  claimsBytes: number;
  credentialBytes: number | null;
  cookieBytes: number | null;
  status: number;
  reason: string | null;
};

// Bumped when a run's shape changes: a stored run of another format is not shown.
const FORMAT = 2;

export type LabRun = {
  format: number;
  startedAt: string;
  durationMs: number;
  database: "sqlite" | "postgres";
  denylist: boolean;
  cookieCacheTtlMs: number;
  steps: string[];
  strategies: StrategyRun[];
};

// What the page's own script could read of each strategy's credential,
// measured in the browser: the copy it got, or null.
export const PageScriptReport = z.record(z.string().max(40), z.object({ copy: z.string().max(8192).nullable() }));
export type PageScriptReport = z.infer<typeof PageScriptReport>;

type Credential = Record<string, string>;

function credentialOf(reply: Reply): Credential | null {
  const token = reply.body?.access_token;
  if (typeof token === "string") return { authorization: `Bearer ${token}` };
  const pairs = reply.headers.getSetCookie().map((line) => line.split(";")[0]!);
  return pairs.length > 0 ? { cookie: pairs.join("; ") } : null;
}

// What a browser would send next: the cookies a reply set replace (or, cleared, remove) those held.
function updatedBy(credential: Credential, reply: Reply): Credential {
  const lines = reply.headers.getSetCookie();
  if (!credential.cookie || lines.length === 0) return credential;
  const jar = new Map(credential.cookie.split("; ").map((pair) => [pair.slice(0, pair.indexOf("=")), pair]));
  for (const line of lines) {
    const pair = line.split(";")[0]!;
    const name = pair.slice(0, pair.indexOf("="));
    if (/;\s*max-age=0/i.test(line) || pair.endsWith("=")) jar.delete(name);
    else jar.set(name, pair);
  }
  return { cookie: [...jar.values()].join("; ") };
}

const bytesOf = (credential: Credential) =>
  Buffer.byteLength(credential.authorization ?? credential.cookie ?? "", "utf8");

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (position - low);
}

const round = (ms: number) => Math.round(ms * 1000) / 1000;

class Steps {
  readonly all: string[] = [];
  constructor(private readonly progress: Progress) {}
  note(step: string): number {
    this.all.push(step);
    this.progress(step);
    return this.all.length - 1;
  }
}

type Strategy = ReturnType<typeof listStrategies>[number];
const lab = (strategy: string, step: string) => `/api/lab/${strategy}/${step}`;

async function measureStrategy(
  strategy: Strategy,
  user: { id: string; runKey: string },
  pageScript: PageScriptReport,
  steps: Steps,
): Promise<{ partial: Omit<StrategyRun, "revocation">; credential: Credential }> {
  const { name } = strategy;
  const signIn = await call(lab(name, "sign-in"), {
    method: "POST",
    headers: { "content-type": "application/json", [LAB_RUN_HEADER]: user.runKey },
    body: "{}",
  });
  const signedInWith = credentialOf(signIn);
  if (signIn.status !== 200 || !signedInWith) {
    throw new Error(`${name}: the sign-in answered ${signIn.status} (${signIn.reason ?? "no credential"}).`);
  }
  let credential = signedInWith;
  const bytes = bytesOf(credential);
  const writes = Number(signIn.body?.store_writes);
  const signedIn = {
    credentialBytes: bytes,
    storeWrites: writes,
    step: steps.note(
      `${name}: signed in, ${writes} store write${writes === 1 ? "" : "s"}; the credential is ${bytes} bytes of ${Object.keys(credential)[0]} header`,
    ),
  };

  const me = (headers: Credential = credential) => call(lab(name, "me"), { headers });
  const timings: number[] = [];
  const reads: number[] = [];
  let serviceCalls = 0;
  for (let i = 0; i < CHECKS; i++) {
    const answer = await me();
    credential = updatedBy(credential, answer);
    if (answer.status !== 200) throw new Error(`${name}: check ${i + 1} answered ${answer.status}.`);
    const timing = parseAuthTiming(answer.headers.get("server-timing"));
    if (timing) timings.push(timing.ms);
    reads.push(Number(answer.body?.store_reads));
    serviceCalls = Math.max(serviceCalls, Number(answer.body?.service_calls ?? 0));
  }
  timings.sort((a, b) => a - b);
  reads.sort((a, b) => a - b);
  const medianReads = quantile(reads, 0.5);
  const checkMs = {
    median: round(quantile(timings, 0.5)),
    p25: round(quantile(timings, 0.25)),
    p75: round(quantile(timings, 0.75)),
    n: timings.length,
  };
  const checked = steps.note(
    `${name}: ${CHECKS} checks: ${medianReads} store read${medianReads === 1 ? "" : "s"} each (median)` +
      `${serviceCalls ? `, ${serviceCalls} call to another service` : ""}; check ${checkMs.median} ms (middle half ${checkMs.p25}–${checkMs.p75} ms)`,
  );

  // A form on another site: the browser attaches cookies (SameSite
  // permitting), never an Authorization header.
  const ridesAlong = strategy.transport === "cookie";
  const foreign = { origin: "https://evil.example", "sec-fetch-site": "cross-site" };
  const crossSiteReply = await call(lab(name, "revoke"), {
    method: "POST",
    headers: { ...foreign, "content-type": "application/x-www-form-urlencoded", ...(ridesAlong ? credential : {}) },
  });
  const afterCrossSite = await me();
  const crossSite = {
    ridesAlong,
    status: crossSiteReply.status,
    stillAccepted: afterCrossSite.status === 200,
    step: steps.note(
      `${name}: a cross-site form POST to revoke, ${ridesAlong ? "the cookie riding along" : "no credential riding along"} → ${crossSiteReply.status}; the credential afterwards → ${afterCrossSite.status}`,
    ),
  };

  const key = armDatabaseOutage();
  let downReply: Reply;
  try {
    downReply = await me({ ...credential, [OUTAGE_HEADER]: key });
  } finally {
    disarmDatabaseOutage(key);
  }
  const storeDown = {
    status: downReply.status,
    step: steps.note(
      `${name}: a check with the store unavailable (for this request only) → ${downReply.status}${downReply.status === 200 ? ", served" : ""}`,
    ),
  };

  const service = config().resourceServerUrl;
  let otherService: StrategyRun["otherService"] = null;
  if (service) {
    const reply = await request(`${service}/whoami`, {
      headers: credential,
      signal: AbortSignal.timeout(5000),
    }).catch(() => noAnswer(`not reachable at ${service}`));
    otherService = {
      status: reply.status,
      reason: reply.reason,
      step: steps.note(
        `${name}: the credential, as it travels, sent to the resource server's /whoami → ${reply.status || "no answer"}${reply.reason ? ` (${reply.reason})` : ""}`,
      ),
    };
  }

  // What page script gets is decided by what the sign-in handed out: a
  // header strategy's token in the answer's body (script must hold it to
  // send it), a cookie unless it is HttpOnly. The page measured it in the
  // browser; a report that contradicts what the server handed out (or a
  // copy that is not this account's credential) is not used, and nothing
  // the page wrote is stored: the last run is shown to every visitor.
  const scriptGets =
    strategy.transport === "header" || signIn.headers.getSetCookie().some((line) => !/;\s*httponly/i.test(line));
  const seen = pageScript[name];
  const copy = seen?.copy ?? null;
  const replay = copy
    ? await me(strategy.transport === "header" ? { authorization: `Bearer ${copy}` } : { cookie: copy })
    : null;
  const pageAgreed =
    seen !== undefined &&
    (copy !== null) === scriptGets &&
    (replay === null || (replay.status === 200 && replay.body?.sub === user.id));
  const where =
    strategy.transport === "header" ? "in the sign-in answer's body" : `in document.cookie at /api/lab/${name}`;
  const pageScriptCell = {
    readable: scriptGets,
    replayStatus: pageAgreed ? (replay?.status ?? null) : scriptGets ? (await me()).status : null,
    pageAgreed,
    step: steps.note(
      `${name}: page script ${scriptGets ? "can read" : "cannot read"} the credential ${where}` +
        (scriptGets ? "" : " (HttpOnly)") +
        (pageAgreed
          ? copy
            ? `, as this page's script found; its copy, replayed from the server (another client) → ${replay!.status}`
            : ", as this page's script found"
          : seen === undefined
            ? "; the page did not report what its script found"
            : "; the page's report contradicts this and is not used"),
    ),
  };
  const size = await measureSize(strategy, user.runKey, steps);
  return {
    credential,
    partial: {
      name,
      transport: strategy.transport,
      state: strategy.state,
      variantOf: strategy.variant_of,
      signIn: signedIn,
      storeReads: { reads: medianReads, serviceCalls, n: reads.length, step: checked },
      checkMs: { ...checkMs, step: checked },
      crossSite,
      storeDown,
      otherService,
      pageScript: pageScriptCell,
      size,
    },
  };
}

// Signs in again at each size of the ladder and checks what it got, from
// this client (which, unlike a browser, keeps a cookie of any size).
async function measureSize(strategy: Strategy, runKey: string, steps: Steps): Promise<StrategyRun["size"]> {
  const { name } = strategy;
  if (!strategy.carries_claims) {
    return {
      carriesClaims: false,
      rungs: [],
      step: steps.note(
        strategy.state === "both"
          ? `${name}: no claims travel: the cookies name the session and copy the row's own fields; an app's claims stay on the server`
          : `${name}: no claims travel: the credential only names the session; an app's claims stay on the server`,
      ),
    };
  }
  const rungs: SizeRung[] = [];
  for (const claimsBytes of CLAIMS_LADDER) {
    const signIn = await call(lab(name, "sign-in"), {
      method: "POST",
      headers: { "content-type": "application/json", [LAB_RUN_HEADER]: runKey },
      body: JSON.stringify({ claims_bytes: claimsBytes }),
    }).catch((error: Error) => noAnswer(answerLost(error)));
    const credential = credentialOf(signIn);
    if (!credential) {
      rungs.push({ claimsBytes, credentialBytes: null, cookieBytes: null, ...statusOf(signIn, "the sign-in") });
      continue;
    }
    const check = await call(lab(name, "me"), { headers: credential }).catch((error: Error) =>
      noAnswer(answerLost(error)),
    );
    rungs.push({
      claimsBytes,
      credentialBytes: bytesOf(credential),
      // The one cookie: its name and value, without the "=".
      cookieBytes: credential.cookie ? bytesOf(credential) - 1 : null,
      ...statusOf(check, "the check"),
    });
  }
  const text = rungs
    .map(
      (rung) =>
        `${rung.claimsBytes} → ${rung.credentialBytes === null ? "" : `${rung.credentialBytes} B, `}${rung.status || "no answer"}` +
        (rung.reason ? ` (${rung.reason})` : ""),
    )
    .join("; ");
  return {
    carriesClaims: true,
    rungs,
    step: steps.note(`${name}: signed in with claims of growing size (claims → credential, check): ${text}`),
  };
}

// undici, like Node's server, reads at most 16 KiB of headers.
const answerLost = (error: Error) =>
  `no answer: ${(error.cause as Error | undefined)?.message ?? error.message}`.slice(0, 200);

function statusOf(reply: Reply, what: string): { status: number; reason: string | null } {
  if (reply.status === 200) return { status: 200, reason: null };
  if (reply.status === 431) return { status: 431, reason: "Node's server reads at most 16 KiB of headers" };
  return { status: reply.status, reason: reply.reason ?? (reply.status ? `${what} answered ${reply.status}` : null) };
}

// The strategy's main cookie alone: what a browser holds once a cookie
// cache's copy has expired (its Max-Age), so the next check reads the row
// and seals a fresh copy.
function mainCookieOnly(credential: Credential, strategy: string): Credential {
  if (!credential.cookie) return credential;
  const main = labCookieName(strategy, "", false);
  const kept = credential.cookie.split("; ").filter((pair) => {
    const name = pair.slice(0, pair.indexOf("="));
    return name === main || name === `__Secure-${main}`;
  });
  return { cookie: kept.join("; ") };
}

// Revoke, then replay a copy every 250 ms until refused or the watch ends.
// The copy replayed is the freshest a thief could hold: the one the
// browser would send just before the revocation, a cookie cache's copy
// sealed just then. (A copy of any age would make the window measured
// anything from 0 to the cache's lifetime, by chance.)
async function measureRevocation(name: string, held: Credential, steps: Steps): Promise<StrategyRun["revocation"]> {
  const presented = mainCookieOnly(held, name);
  const credential = updatedBy(presented, await call(lab(name, "me"), { headers: presented }));
  const answer = await call(lab(name, "revoke"), { method: "POST", headers: credential });
  const revokedAt = Date.now();
  const revoked = answer.body?.revoked === true;
  const stillValidUntil = typeof answer.body?.still_valid_until === "string" ? answer.body.still_valid_until : null;
  steps.note(
    `${name}: revoked → ${answer.status} (${revoked ? "recorded" : "nothing to record"}${stillValidUntil ? `; valid until ${stillValidUntil}` : ""})`,
  );
  const maxWaitMs = config().lab.revocationWatchMs;
  const waited = await timeUntilRefused(() => call(lab(name, "me"), { headers: credential }), revokedAt, {
    what: `${name}: a copy after revocation`,
    progress: () => {},
    maxWaitMs,
  });
  const refused = waited.result.status === 401;
  return {
    revoked,
    stillValidUntil,
    refusedAfterMs: refused ? waited.elapsed : null,
    acceptedReplays: waited.accepted,
    watchedMs: waited.elapsed,
    step: steps.note(
      refused
        ? `${name}: a copy replayed every 250 ms after revocation: ${waited.accepted} accepted, refused after ${formatElapsed(waited.elapsed)}`
        : `${name}: a copy replayed every 250 ms after revocation: still accepted after ${formatElapsed(waited.elapsed)}${stillValidUntil ? `; valid until ${stillValidUntil}` : ""}`,
    ),
  };
}

// At most this many runs at once on a server, whoever starts them: each
// makes a few hundred requests to this server and watches for up to
// LAB_REVOCATION_WATCH.
const RUNS_AT_ONCE = 2;
const running = processState("lab-runs", () => ({ count: 0 }));
const SERVER_BUSY: AppError = throttledError("Two lab runs are going on this server already.", 30);

export async function runLab(
  user: VerifiedUser,
  pageScript: PageScriptReport,
  progress: Progress,
): Promise<Result<LabRun>> {
  if (running.count >= RUNS_AT_ONCE) return { ok: false, error: SERVER_BUSY };
  running.count++;
  const started = Date.now();
  const steps = new Steps(progress);
  // The backend-for-frontend needs a service to call.
  const strategies = listStrategies().filter((strategy) => strategy.name !== "bff" || config().resourceServerUrl);
  const runKey = armRunSignIn(user);
  try {
    const measured: Awaited<ReturnType<typeof measureStrategy>>[] = [];
    for (const strategy of strategies) {
      measured.push(await measureStrategy(strategy, { id: user.id, runKey }, pageScript, steps));
    }
    steps.note(
      `Revoking every credential, then replaying a copy of each every 250 ms (for up to ${formatElapsed(config().lab.revocationWatchMs)})`,
    );
    // Every watch ends before the run does, even when the client has gone
    // (a step then throws): the run's slot is not free while it still polls.
    const watched = await Promise.allSettled(
      measured.map(({ partial, credential }) => measureRevocation(partial.name, credential, steps)),
    );
    const revocations = watched.map((outcome) => {
      if (outcome.status === "rejected") throw outcome.reason;
      return outcome.value;
    });
    const run: LabRun = {
      format: FORMAT,
      startedAt: new Date(started).toISOString(),
      durationMs: Date.now() - started,
      database: config().database.provider,
      denylist: await isDenylistEnabled(),
      cookieCacheTtlMs: config().lab.cookieCacheTtlMs,
      steps: steps.all,
      strategies: measured.map(({ partial }, i) => ({ ...partial, revocation: revocations[i]! })),
    };
    await saveLastRun(run);
    return { ok: true, value: run };
  } finally {
    disarmRunSignIn(runKey);
    running.count--;
    // Nothing the run signed in outlives it, sealed cookies included (the
    // stamp refuses the stamped variant's; the plain sealed cookie cannot
    // be ended, which is what the run shows).
    await invalidateUserSessions(user.id);
    await revokeUserFamilies(user.id, "lab run ended");
    await stampValidAfter(user.id);
  }
}

async function saveLastRun(run: LabRun): Promise<void> {
  const value = JSON.stringify(run);
  await db().setting.upsert({ where: { key: LAST_RUN_KEY }, create: { key: LAST_RUN_KEY, value }, update: { value } });
}

// The last completed run on this deployment, for the dashboard's table,
// or why there is none to show. Pages that show it still render while the
// database is unavailable, and say so.
export type LastLabRun = { status: "ok"; run: LabRun } | { status: "none" } | { status: "unavailable" };

export async function lastLabRun(): Promise<LastLabRun> {
  try {
    const row = await db().setting.findUnique({ where: { key: LAST_RUN_KEY } });
    const run = row ? (JSON.parse(row.value) as LabRun) : null;
    return run?.format === FORMAT ? { status: "ok", run } : { status: "none" };
  } catch (error) {
    if (isDatabaseUnavailable(error)) return { status: "unavailable" };
    throw error;
  }
}

const RunRequest = z.object({
  email: z.string().max(320),
  password: z.string().max(1024),
  page_script: PageScriptReport.default({}),
});

const NOT_A_THROWAWAY: AppError = {
  code: "forbidden",
  description: `The lab runs on a throwaway account (POST /api/sandbox, an address ending in ${SANDBOX_EMAIL_DOMAIN}): it signs in, revokes and ends everything the account has.`,
};

// POST /api/lab/run: same-origin, for a throwaway account's email and
// password; one run at a time per account, within the scenario limits.
export async function labRunResponse(request: Request): Promise<Response> {
  const sameOrigin = checkSameOrigin(request.headers);
  if (!sameOrigin.ok) return errorResponse(sameOrigin.error);
  const body = await readJsonBody(request);
  if (!body.ok) return errorResponse(body.error);
  const parsed = RunRequest.safeParse(body.value);
  if (!parsed.success) {
    return errorResponse({
      code: "invalid_request",
      description: "Send a JSON object with the throwaway account's email and password, and page_script.",
    });
  }
  const { email, password, page_script: pageScript } = parsed.data;
  if (!email.endsWith(SANDBOX_EMAIL_DOMAIN)) return errorResponse(NOT_A_THROWAWAY);
  const client = clientInfo(request.headers);
  const user = await verifyCredentials({ email, password }, client, "session");
  if (!user.ok) return errorResponse(user.error);
  const runner = { key: `lab:${user.value.id}`, user: user.value, ip: client.ip };
  return progressResponse((progress) => runOneAtATime(runner, () => runLab(user.value, pageScript, progress)));
}

// GET /api/lab/run: the last completed run on this deployment.
export async function lastLabRunResponse(): Promise<Response> {
  const last = await lastLabRun();
  if (last.status === "unavailable") return errorResponse(DATABASE_UNAVAILABLE);
  if (last.status === "none") {
    return errorResponse({ code: "not_found", description: "No lab run has completed on this deployment yet." });
  }
  return Response.json(last.run, { headers: { "Cache-Control": "no-store" } });
}
