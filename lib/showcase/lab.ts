// The strategies lab (docs/strategies.md): the ways of keeping a visitor
// signed in that people ship, each built from the auth core's own modules,
// behind one API (/api/lab/<strategy>/sign-in, /me, /revoke), so that a
// page or a test can sign one account in every way and compare what each
// costs and survives. A check's store reads are counted at the database
// seam (lib/query-count.ts), never declared here.
//
// Each cookie strategy has cookies of its own, scoped to its own routes
// (Path=/api/lab/<strategy>), so the lab never touches the visitor's real
// session and each request carries one strategy's credential only.
import { randomBytes } from "node:crypto";
import { cookies } from "next/headers";
import { z } from "zod";
import { errorResponse, type AppError, type Result } from "@/lib/errors";
import { checkSameOrigin, clientInfo, isSecureRequest, readJsonBody } from "@/lib/http";
import { serverTiming, type CheckKind } from "@/lib/server-timing";
import { labCookieName, labCookiePath, MAX_COOKIE_BYTES } from "@/lib/cookie-names";
import { countQueries } from "@/lib/query-count";
import { LAB_RUN_HEADER, runSignInUser } from "@/lib/showcase/lab-run-keys";
import { parseBearer } from "@/lib/auth/bearer";
import { callResourceServer, endBffSession, startBffSession } from "@/lib/auth/bff";
import { isDenylistEnabled } from "@/lib/auth/denylist";
import type { Mechanism } from "@/lib/auth/events";
import { verifyBearerAccessToken, wasVerifiedBefore } from "@/lib/auth/jwt";
import { checkOpaqueToken, issueOpaqueToken, revokeOpaqueToken } from "@/lib/auth/opaque-bearer";
import { openSealedSession, sealedSessionSeenBefore, sealSession, stampValidAfter } from "@/lib/auth/sealed-cookie";
import { checkCachedSession, sealSessionCopy } from "@/lib/auth/session-cache";
import { findSessionCookie, openSessionCookie, sealSessionToken } from "@/lib/auth/session-cookie";
import {
  createSession,
  invalidateSession,
  invalidSessionMessage,
  validateSessionToken,
  type SessionRecord,
  type SessionValidation,
} from "@/lib/auth/session";
import { refuseSupersededSignIn, verifyCredentials, type VerifiedUser } from "@/lib/auth/signin";
import { issueTokens, revokeToken } from "@/lib/auth/token-endpoint";

export type Transport = "cookie" | "header";
// Where what a check needs lives: on the server, in the credential, or both.
export type StateLocation = "server" | "token" | "both";

// `revoked`: the server recorded the revocation. `stillValidUntil`: until
// when a copy of the credential the request presented is still accepted
// (null: refused from the next request on).
type Revocation = { revoked: boolean; stillValidUntil: Date | null };
// `serviceCalls`: requests to other services the check made.
type Identity = { sub: string; email: string; serviceCalls?: number };
// A cookie's new value, or null to clear it; by the strategy's cookie part
// ("" is its main cookie).
type CookieChanges = Record<string, { value: string; maxAgeSeconds: number } | null>;
type Credential = { cookies: CookieChanges } | { accessToken: string; expiresInSeconds: number };

type Check = {
  result: Result<Identity & { revoke: () => Promise<Revocation> }>;
  kind: CheckKind;
  cookies?: CookieChanges;
};

type Strategy = {
  name: string;
  transport: Transport;
  state: StateLocation;
  // The design this is one change to, shown apart.
  variantOf?: string;
  summary: string;
  // The names of its cookies' parts ("" is the main one); none for a header.
  cookieParts: string[];
  // Whether what the server knows of the session travels in the credential
  // (a `profile` claim grows it), or stays on the server (the credential
  // only names it).
  carriesClaims: boolean;
  mechanism: Mechanism;
  signIn(user: VerifiedUser, request: Request, profile?: string): Promise<Result<Credential>>;
  check(request: Request): Promise<Check>;
};

const loginRequired = (description: string): AppError => ({ code: "login_required", description });
const secondsUntil = (time: number) => Math.max(0, Math.floor((time - Date.now()) / 1000));
const refused = (kind: CheckKind, error: AppError, cookies?: CookieChanges): Check => ({
  result: { ok: false, error },
  kind,
  cookies,
});
const accepted = (kind: CheckKind, identity: Identity, revoke: () => Promise<Revocation>, cookies?: CookieChanges) =>
  ({ result: { ok: true, value: { ...identity, revoke } }, kind, cookies }) satisfies Check;

function cookieOf(request: Request, strategy: string, part = ""): string | null {
  const name = labCookieName(strategy, part, isSecureRequest(request.headers));
  return findSessionCookie(request.headers.get("cookie"), name).value;
}

// The session token in a strategy's main cookie, or the refusal when there is none.
async function presentedSessionToken(
  request: Request,
  strategy: string,
): Promise<{ token: string; kind: CheckKind } | { refusal: Check }> {
  const { token, kind } = await openSessionCookie(cookieOf(request, strategy));
  if (token) return { token, kind };
  return { refusal: refused(kind, loginRequired(invalidSessionMessage(kind === "none" ? "missing" : "malformed"))) };
}

async function startServerSession(user: VerifiedUser, request: Request) {
  const client = clientInfo(request.headers);
  const created = await createSession(user, client);
  if (!created) return refuseSupersededSignIn(user, "session", client);
  return { ok: true as const, value: created };
}

// The sealed cookie that carries a session's token, for as long as the session may live.
async function sessionCookie({ token, session }: { token: string; session: SessionRecord }) {
  return { value: await sealSessionToken(token), maxAgeSeconds: secondsUntil(session.absoluteExpiresAt.getTime()) };
}

// The session a strategy's main cookie stands for, or the refusal (which
// clears the cookie of a session that has ended).
async function checkSessionCookie(
  request: Request,
  strategy: string,
): Promise<{ kind: CheckKind; found: Extract<SessionValidation, { status: "valid" }> } | { refusal: Check }> {
  const presented = await presentedSessionToken(request, strategy);
  if ("refusal" in presented) return presented;
  const { token, kind } = presented;
  const found = await validateSessionToken(token);
  if (found.status !== "valid")
    return { refusal: refused(kind, loginRequired(invalidSessionMessage(found.reason)), { "": null }) };
  return { kind, found };
}

const endSession = (sessionId: string) => async (): Promise<Revocation> => {
  await invalidateSession(sessionId);
  return { revoked: true, stillValidUntil: null };
};

const serverSession: Strategy = {
  name: "server-session",
  transport: "cookie",
  state: "server",
  summary: "A random token in a sealed cookie; its session row is read on every request.",
  cookieParts: [""],
  carriesClaims: false,
  mechanism: "session",
  async signIn(user, request) {
    const created = await startServerSession(user, request);
    if (!created.ok) return created;
    return { ok: true, value: { cookies: { "": await sessionCookie(created.value) } } };
  },
  async check(request) {
    const checked = await checkSessionCookie(request, this.name);
    if ("refusal" in checked) return checked.refusal;
    const { session, user } = checked.found;
    return accepted(checked.kind, { sub: user.id, email: user.email }, endSession(session.id));
  },
};

function sealedCookie(stamped: boolean): Strategy {
  return {
    name: stamped ? "sealed-cookie-stamp" : "sealed-cookie",
    transport: "cookie",
    state: stamped ? "both" : "token",
    ...(stamped && { variantOf: "sealed-cookie" }),
    summary: stamped
      ? "The sealed session, plus a per-user “valid after” stamp read on every request, so a revocation holds."
      : "The whole session sealed in the cookie (iron-session, Auth.js's default); no store read, no revocation.",
    cookieParts: [""],
    carriesClaims: true,
    mechanism: "session",
    async signIn(user, _request, profile) {
      const { sealed, session } = await sealSession(user, new Date(), profile);
      return {
        ok: true,
        value: { cookies: { "": { value: sealed, maxAgeSeconds: secondsUntil(session.expiresAt) } } },
      };
    },
    async check(request) {
      const value = cookieOf(request, this.name);
      if (value === null) return refused("none", loginRequired(invalidSessionMessage("missing")));
      const kind = sealedSessionSeenBefore(value) ? "seen before" : "first sight";
      const opened = await openSealedSession(value, { stamped });
      if (!opened.ok) return refused(kind, loginRequired(opened.error.description), { "": null });
      const { sub, email, expiresAt } = opened.value;
      return accepted(kind, { sub, email }, async () => {
        if (!stamped) return { revoked: false, stillValidUntil: new Date(expiresAt) };
        await stampValidAfter(sub);
        return { revoked: true, stillValidUntil: null };
      });
    },
  };
}

const cookieCache: Strategy = {
  name: "cookie-cache",
  transport: "cookie",
  state: "both",
  summary:
    "A server session plus a short-lived sealed copy in a second cookie; the row is read only when the copy is stale.",
  cookieParts: ["", "copy"],
  // Its copy holds the row's own fields, sealed as the sealed cookie's are.
  carriesClaims: false,
  mechanism: "session",
  async signIn(user, request) {
    const created = await startServerSession(user, request);
    if (!created.ok) return created;
    const { token, session } = created.value;
    const main = await sessionCookie(created.value);
    const { sealed, copy } = await sealSessionCopy(token, session, user);
    const cached = { value: sealed, maxAgeSeconds: secondsUntil(copy.cachedUntil) };
    return { ok: true, value: { cookies: { "": main, copy: cached } } };
  },
  async check(request) {
    const presented = await presentedSessionToken(request, this.name);
    if ("refusal" in presented) return presented.refusal;
    const { token, kind } = presented;
    const checked = await checkCachedSession(token, cookieOf(request, this.name, "copy"));
    if (checked.source === "copy") {
      const { sub, email, sessionId, cachedUntil } = checked.copy;
      return accepted(kind, { sub, email }, async () => {
        await invalidateSession(sessionId);
        return { revoked: true, stillValidUntil: new Date(cachedUntil) };
      });
    }
    const { validation, fresh } = checked;
    if (validation.status !== "valid")
      return refused(kind, loginRequired(invalidSessionMessage(validation.reason)), { "": null, copy: null });
    const copy = fresh && { value: fresh.sealed, maxAgeSeconds: secondsUntil(fresh.copy.cachedUntil) };
    const identity = { sub: validation.user.id, email: validation.user.email };
    return accepted(kind, identity, endSession(validation.session.id), copy ? { copy } : undefined);
  },
};

const invalidToken = (description: string): AppError => ({ code: "invalid_token", description });

const bearerJwt: Strategy = {
  name: "bearer-jwt",
  transport: "header",
  state: "token",
  summary:
    "A signed access token (RFC 9068) in the Authorization header, checked by its signature alone unless denylist mode is on.",
  cookieParts: [],
  carriesClaims: true,
  mechanism: "jwt",
  async signIn(user, request, profile) {
    // A refresh token is issued too (the family a revocation ends); the lab
    // has no use for it, so it is not handed out.
    const pair = await issueTokens(user, "api", clientInfo(request.headers), request.headers, { profile });
    if (!pair.ok) return pair;
    return { ok: true, value: { accessToken: pair.value.access_token, expiresInSeconds: pair.value.expires_in } };
  },
  async check(request) {
    const bearer = parseBearer(request.headers.get("authorization"));
    if (!bearer.ok) return refused("none", bearer.error);
    const kind = wasVerifiedBefore(bearer.value) ? "seen before" : "first sight";
    const verified = await verifyBearerAccessToken(bearer.value);
    if (!verified.ok) return refused(kind, invalidToken(verified.error.description));
    const { sub, email, exp } = verified.value.claims;
    return accepted(kind, { sub, email }, async () => {
      await revokeToken(bearer.value, clientInfo(request.headers));
      return { revoked: true, stillValidUntil: (await isDenylistEnabled()) ? null : new Date(exp * 1000) };
    });
  },
};

const opaqueBearer: Strategy = {
  name: "opaque-bearer",
  transport: "header",
  state: "server",
  summary: "A random token in the Authorization header, stored as a hash and looked up on every request.",
  cookieParts: [],
  carriesClaims: false,
  mechanism: "session",
  async signIn(user, request) {
    const client = clientInfo(request.headers);
    const issued = await issueOpaqueToken(user, client);
    if (!issued) return refuseSupersededSignIn(user, "session", client);
    return {
      ok: true,
      value: { accessToken: issued.token, expiresInSeconds: secondsUntil(issued.expiresAt.getTime()) },
    };
  },
  async check(request) {
    const authorization = request.headers.get("authorization");
    const checked = await checkOpaqueToken(authorization);
    const kind: CheckKind = authorization === null ? "none" : "first sight";
    if (!checked.ok) return refused(kind, checked.error);
    const holder = checked.value;
    return accepted(kind, { sub: holder.user.id, email: holder.user.email }, async () => {
      await revokeOpaqueToken(holder);
      return { revoked: true, stillValidUntil: null };
    });
  },
};

const bff: Strategy = {
  name: "bff",
  transport: "cookie",
  state: "server",
  summary:
    "Backend-for-frontend: the browser holds a session cookie only; the server keeps the user's tokens and calls the resource server with them.",
  cookieParts: [""],
  carriesClaims: false,
  mechanism: "session",
  async signIn(user, request) {
    const started = await startBffSession(user, clientInfo(request.headers), request.headers);
    if (!started.ok) return started;
    return { ok: true, value: { cookies: { "": await sessionCookie(started.value) } } };
  },
  async check(request) {
    const checked = await checkSessionCookie(request, this.name);
    if ("refusal" in checked) return checked.refusal;
    const { kind, found } = checked;
    const client = clientInfo(request.headers);
    const answer = await callResourceServer(found.session, "/whoami", client, request.headers);
    if (!answer.ok)
      return refused(kind, answer.error, answer.error.code === "login_required" ? { "": null } : undefined);
    const { status, body } = answer.value;
    // The service speaks for the user the session is for, or not at all.
    if (status !== 200 || body.sub !== found.user.id) {
      const reason = typeof body.error_description === "string" ? body.error_description : `status ${status}`;
      return refused(kind, {
        code: "bad_gateway",
        description: `The resource server refused the held token: ${reason}`,
      });
    }
    return accepted(kind, { sub: found.user.id, email: String(body.email), serviceCalls: 1 }, async () => {
      await endBffSession(found.session, client);
      return { revoked: true, stillValidUntil: null };
    });
  },
};

const STRATEGIES: Strategy[] = [
  serverSession,
  sealedCookie(false),
  sealedCookie(true),
  cookieCache,
  bearerJwt,
  opaqueBearer,
  bff,
];

export function listStrategies() {
  return STRATEGIES.map(({ name, transport, state, variantOf, summary, carriesClaims }) => ({
    name,
    transport,
    state,
    variant_of: variantOf ?? null,
    carries_claims: carriesClaims,
    summary,
  }));
}

function findStrategy(name: string): Result<Strategy> {
  const strategy = STRATEGIES.find((candidate) => candidate.name === name);
  if (strategy) return { ok: true, value: strategy };
  return { ok: false, error: { code: "not_found", description: `No strategy named ${name.slice(0, 40)} in the lab.` } };
}

// A cookie no browser would keep is not set (iron-session refuses to seal one, too).
function refuseOversizedCookies(strategy: Strategy, request: Request, changes: CookieChanges): AppError | null {
  const secure = isSecureRequest(request.headers);
  for (const [part, change] of Object.entries(changes)) {
    if (!change) continue;
    const bytes = Buffer.byteLength(labCookieName(strategy.name, part, secure) + change.value, "utf8");
    if (bytes > MAX_COOKIE_BYTES)
      return {
        code: "invalid_request",
        description: `The cookie would be ${bytes} bytes (name and value); a browser keeps at most ${MAX_COOKIE_BYTES}, so it is not set.`,
      };
  }
  return null;
}

async function changeCookies(strategy: Strategy, request: Request, changes: CookieChanges = {}): Promise<void> {
  // Next's cookie store costs a few tens of µs a request: asked for only when a cookie changes.
  if (Object.keys(changes).length === 0) return;
  const secure = isSecureRequest(request.headers);
  const jar = await cookies();
  for (const [part, change] of Object.entries(changes)) {
    jar.set(labCookieName(strategy.name, part, secure), change?.value ?? "", {
      httpOnly: true,
      sameSite: "lax",
      path: labCookiePath(strategy.name),
      secure,
      maxAge: change?.maxAgeSeconds ?? 0,
    });
  }
}

// A cookie-carried credential changes state only from our own pages (CSRF,
// and login CSRF for a sign-in); a header is never sent by a browser on its own.
function refuseCrossSite(strategy: Strategy, request: Request): Response | null {
  if (strategy.transport !== "cookie") return null;
  const sameOrigin = checkSameOrigin(request.headers);
  return sameOrigin.ok ? null : errorResponse(sameOrigin.error);
}

const NO_STORE = { "Cache-Control": "no-store" };

// Who signs in: the email and password checked, or the account of the lab
// run whose one-time key the request carries (lib/showcase/lab-run-keys.ts).
async function signInUser(request: Request, body: unknown, strategy: Strategy): Promise<Result<VerifiedUser>> {
  const runKey = request.headers.get(LAB_RUN_HEADER);
  if (runKey === null) return verifyCredentials(body, clientInfo(request.headers), strategy.mechanism);
  const user = runSignInUser(runKey);
  return user ? { ok: true, value: user } : { ok: false, error: loginRequired("This lab run's key is not armed.") };
}

// Up to Node's own limit on a request's headers: past it nothing arrives.
export const MAX_CLAIMS_BYTES = 16_384;
const ClaimsBytes = z.number().int().min(0).max(MAX_CLAIMS_BYTES);

// `claims_bytes`: a profile of that many random characters, for the
// strategies whose credential carries what the server knows (random, so no
// encoding could shrink it); the lab grows it to find where each credential
// stops fitting (docs/strategies.md).
function profileOf(body: unknown, strategy: Strategy): Result<string | undefined> {
  const requested = (body as { claims_bytes?: unknown } | null)?.claims_bytes;
  if (requested === undefined) return { ok: true, value: undefined };
  const bytes = ClaimsBytes.safeParse(requested);
  if (!bytes.success)
    return {
      ok: false,
      error: { code: "invalid_request", description: `claims_bytes is a whole number from 0 to ${MAX_CLAIMS_BYTES}.` },
    };
  if (!strategy.carriesClaims)
    return {
      ok: false,
      error: {
        code: "invalid_request",
        description: `A ${strategy.name} credential carries no claims: what the session knows stays on the server.`,
      },
    };
  return {
    ok: true,
    value: randomBytes(Math.ceil((bytes.data * 3) / 4))
      .toString("base64url")
      .slice(0, bytes.data),
  };
}

export async function labSignIn(name: string, request: Request): Promise<Response> {
  const strategy = findStrategy(name);
  if (!strategy.ok) return errorResponse(strategy.error);
  const crossSite = refuseCrossSite(strategy.value, request);
  if (crossSite) return crossSite;
  const body = await readJsonBody(request);
  if (!body.ok) return errorResponse(body.error);
  const profile = profileOf(body.value, strategy.value);
  if (!profile.ok) return errorResponse(profile.error);
  const user = await signInUser(request, body.value, strategy.value);
  if (!user.ok) return errorResponse(user.error);
  // What signing in stored, counted at the database seam (the password check's own reads and writes apart).
  const { value: credential, queries } = await countQueries(() =>
    strategy.value.signIn(user.value, request, profile.value),
  );
  if (!credential.ok) return errorResponse(credential.error);
  if ("accessToken" in credential.value) {
    const { accessToken, expiresInSeconds } = credential.value;
    return Response.json(
      { access_token: accessToken, token_type: "Bearer", expires_in: expiresInSeconds, store_writes: queries.writes },
      { headers: NO_STORE },
    );
  }
  const oversized = refuseOversizedCookies(strategy.value, request, credential.value.cookies);
  if (oversized) return errorResponse(oversized);
  await changeCookies(strategy.value, request, credential.value.cookies);
  return Response.json(
    { strategy: name, sub: user.value.id, email: user.value.email, store_writes: queries.writes },
    { headers: NO_STORE },
  );
}

// Who the credential says the caller is, and what checking it took: store
// reads and writes as the database seam counted them, and the check's time
// in Server-Timing.
export async function labMe(name: string, request: Request): Promise<Response> {
  const strategy = findStrategy(name);
  if (!strategy.ok) return errorResponse(strategy.error);
  const started = performance.now();
  const { value: check, queries } = await countQueries(() => strategy.value.check(request));
  const timing = { "Server-Timing": serverTiming(name, performance.now() - started, check.kind) };
  await changeCookies(strategy.value, request, check.cookies);
  if (!check.result.ok) return errorResponse(check.result.error, { headers: timing });
  const { sub, email, serviceCalls = 0 } = check.result.value;
  return Response.json(
    {
      strategy: name,
      sub,
      email,
      store_reads: queries.reads,
      store_writes: queries.writes,
      service_calls: serviceCalls,
    },
    { headers: { ...NO_STORE, ...timing } },
  );
}

// Ends the presented credential as far as the strategy can, clears its
// cookies in this browser, and says what it could not end.
export async function labRevoke(name: string, request: Request): Promise<Response> {
  const strategy = findStrategy(name);
  if (!strategy.ok) return errorResponse(strategy.error);
  const crossSite = refuseCrossSite(strategy.value, request);
  if (crossSite) return crossSite;
  const check = await strategy.value.check(request);
  if (!check.result.ok) {
    await changeCookies(strategy.value, request, check.cookies);
    return errorResponse(check.result.error);
  }
  const { revoked, stillValidUntil } = await check.result.value.revoke();
  await changeCookies(
    strategy.value,
    request,
    Object.fromEntries(strategy.value.cookieParts.map((part) => [part, null])),
  );
  return Response.json(
    { strategy: name, revoked, still_valid_until: stillValidUntil?.toISOString() ?? null },
    { headers: NO_STORE },
  );
}
