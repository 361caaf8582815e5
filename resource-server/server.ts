// A separate service that accepts the app's access tokens: its own process,
// its own port, given only the issuer's URL (and, to ask about revocation,
// its own introspection credentials). It never sees the app's database,
// AUTH_SECRET or cookie passwords, and refuses to start if handed them.
//
//   ISSUER=http://localhost:3000 PORT=3001 npm run resource-server
//
// It listens on 127.0.0.1 unless HOST says otherwise (HOST=0.0.0.0: every
// IPv4 interface).
//
// GET /whoami with Authorization: Bearer <access token> (or DPoP <token> and
// a DPoP proof, for a token bound to the client's key) → who the token says
// its holder is, checked with the issuer's public keys alone;
// GET /whoami?introspect=1 also asks the issuer whether it was revoked.
import http from "node:http";
import { checkIssuer, createVerifier, discover, introspect, Refusal, type Metadata, type Verified } from "./verifier";
import {
  ACCESS_TOKEN_AUTHORIZATION,
  checkDpopProof,
  OTHER_KEY,
  proofRecordExpiry,
  schemeMismatch,
} from "../shared/dpop-proof";
import { DPOP_ALGORITHMS } from "../shared/dpop-algorithms";
import { createReplayRecord } from "./dpop-replay";

const FORBIDDEN = ["DATABASE_URL", "AUTH_SECRET", "SESSION_PASSWORDS", "SECRETS_FILE"];
const given = FORBIDDEN.filter((name) => process.env[name]);
if (given.length > 0) {
  console.error(
    `The resource server must not be given ${given.join(", ")}: it trusts tokens by the issuer's public keys alone.`,
  );
  process.exit(2);
}
const issuer = process.env.ISSUER?.replace(/\/$/, "");
if (!issuer) {
  console.error("Set ISSUER to the app's public URL (its tokens' iss), e.g. ISSUER=http://localhost:3000.");
  process.exit(2);
}
try {
  checkIssuer(issuer);
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}
const port = Number(process.env.PORT ?? 3001);
// Its own URL as clients call it: what a DPoP proof's htu must name.
const publicUrl = (process.env.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, "");
const host = process.env.HOST?.trim() || "127.0.0.1";
const audience = process.env.AUDIENCE ?? "session-vs-jwt-api";
// The one browser origin allowed to call it (the app's dashboard).
const allowedOrigin = process.env.ALLOWED_ORIGIN ?? issuer;
const client =
  process.env.INTROSPECTION_CLIENT_ID && process.env.INTROSPECTION_CLIENT_SECRET
    ? { id: process.env.INTROSPECTION_CLIENT_ID, secret: process.env.INTROSPECTION_CLIENT_SECRET }
    : null;

// The issuer may still be starting: discovery is retried for a minute.
async function discoverWithRetry(): Promise<Metadata> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await discover(issuer!);
    } catch (error) {
      if (attempt >= 60) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

const metadata = await discoverWithRetry();
const verify = createVerifier(metadata, audience);

type Answer = { status: number; body: unknown; headers?: Record<string, string> };

function refused(description: string, unavailable: boolean, error = "invalid_token"): Answer {
  if (unavailable) {
    return {
      status: 503,
      body: { error: "temporarily_unavailable", error_description: description },
      headers: { "Retry-After": "5" },
    };
  }
  const said = `error="${error}", error_description="${description.replace(/[^\x20-\x7e]|["\\]/g, "'")}"`;
  const algs = `algs="${DPOP_ALGORITHMS.join(" ")}"`;
  return {
    status: 401,
    body: { error, error_description: description },
    headers: {
      // Both schemes (RFC 9449 §7.1), the error in the one it concerns.
      "WWW-Authenticate":
        error === "invalid_token"
          ? `Bearer realm="resource-server", ${said}, DPoP ${algs}`
          : `Bearer realm="resource-server", DPoP ${algs}, ${said}`,
    },
  };
}

const replayRecord = createReplayRecord();

// A token bound to a DPoP key only as DPoP with a fresh proof of that key,
// for this request and this token; an unbound one only as Bearer.
async function checkBinding(
  request: http.IncomingMessage,
  url: URL,
  scheme: "Bearer" | "DPoP",
  token: string,
  verified: Verified,
) {
  const jkt = verified.claims.cnf?.jkt;
  const mismatch = schemeMismatch(scheme, jkt);
  if (mismatch) return refused(mismatch, false);
  if (!jkt) return null;
  const proof = request.headers.dpop;
  const checked = await checkDpopProof(typeof proof === "string" ? proof : null, {
    method: request.method ?? "GET",
    url: `${publicUrl}${url.pathname}`,
    accessToken: token,
  });
  if (!checked.ok) return refused(checked.error.description, false, "invalid_dpop_proof");
  if (checked.value.jkt !== jkt) return refused(OTHER_KEY, false, "invalid_dpop_proof");
  if (!replayRecord.take(checked.value.jkt, checked.value.jti, proofRecordExpiry(checked.value.iat)))
    return refused("This DPoP proof was used before (at this instance).", false, "invalid_dpop_proof");
  return null;
}

const NO_SESSIONS =
  "This service cannot read sessions: a session cookie is only a key to a row in the app's database, which this service cannot reach. Send an access token (Authorization: Bearer …).";

async function whoami(request: http.IncomingMessage, url: URL): Promise<Answer> {
  const authorization = request.headers.authorization ?? "";
  const presented = ACCESS_TOKEN_AUTHORIZATION.exec(authorization.trim());
  if (!presented) {
    if (request.headers.cookie) return refused(NO_SESSIONS, false);
    return refused("No access token was sent (Authorization: Bearer <token>).", false);
  }
  const scheme = presented[1]!.toLowerCase() === "dpop" ? "DPoP" : "Bearer";
  const token = presented[2]!;
  const started = performance.now();
  let verified: Verified;
  try {
    verified = await verify(token);
  } catch (error) {
    if (error instanceof Refusal) return refused(error.message, error.unavailable);
    throw error;
  }
  const unbound = await checkBinding(request, url, scheme, token, verified);
  if (unbound) return unbound;
  const checkMs = performance.now() - started;
  const timing = [`auth;desc="jwks";dur=${checkMs.toFixed(3)}`];
  const body: Record<string, unknown> = {
    sub: verified.claims.sub,
    email: verified.claims.email,
    client_id: verified.claims.client_id,
    kid: verified.kid,
    verified_by: "jwks",
    check_ms: Number(checkMs.toFixed(3)),
    fetched_keys: verified.fetchedKeys,
  };
  if (url.searchParams.get("introspect") === "1") {
    if (!client)
      return refused("This service has no introspection credentials (INTROSPECTION_CLIENT_ID/SECRET).", true);
    const askedAt = performance.now();
    let active: boolean;
    try {
      ({ active } = await introspect(metadata, client, token));
    } catch (error) {
      if (error instanceof Refusal) return refused(error.message, error.unavailable);
      throw error;
    }
    const introspectMs = performance.now() - askedAt;
    if (!active) return refused("The issuer says this token is no longer active (revoked).", false);
    timing.push(`introspection;dur=${introspectMs.toFixed(3)}`);
    Object.assign(body, { verified_by: "jwks+introspection", introspection_ms: Number(introspectMs.toFixed(3)) });
  }
  return { status: 200, body, headers: { "Server-Timing": timing.join(", ") } };
}

async function answer(request: http.IncomingMessage): Promise<Answer> {
  let url: URL;
  try {
    url = new URL(request.url ?? "/", "http://resource-server");
  } catch {
    return { status: 400, body: { error: "invalid_request", error_description: "The request target is not a path." } };
  }
  if (url.pathname === "/whoami" && request.method === "GET") return whoami(request, url);
  if (url.pathname === "/health" && request.method === "GET") return { status: 200, body: { status: "ok", issuer } };
  if (url.pathname === "/whoami")
    return { status: 405, body: { error: "method_not_allowed" }, headers: { Allow: "GET, OPTIONS" } };
  return { status: 404, body: { error: "not_found" } };
}

// CORS for the app's own origin only, with credentials, so the dashboard can
// show what happens when the browser sends its session cookie here.
function cors(request: http.IncomingMessage): Record<string, string> {
  if (request.headers.origin !== allowedOrigin) return {};
  return {
    "Access-Control-Allow-Origin": allowedOrigin,
    "Access-Control-Allow-Credentials": "true",
    "Access-Control-Expose-Headers": "Server-Timing, WWW-Authenticate",
    Vary: "Origin",
  };
}

const server = http.createServer(async (request, response) => {
  const headers: Record<string, string> = { "Cache-Control": "no-store", ...cors(request) };
  if (request.method === "OPTIONS") {
    if (headers["Access-Control-Allow-Origin"]) {
      Object.assign(headers, {
        "Access-Control-Allow-Methods": "GET",
        "Access-Control-Allow-Headers": "Authorization, DPoP",
        "Access-Control-Max-Age": "600",
      });
    }
    response.writeHead(204, headers).end();
    return;
  }
  let result: Answer;
  try {
    result = await answer(request);
  } catch (error) {
    console.error("[resource-server]", error);
    result = { status: 500, body: { error: "server_error" } };
  }
  response
    .writeHead(result.status, { ...headers, ...result.headers, "Content-Type": "application/json" })
    .end(JSON.stringify(result.body));
});

server.listen(port, host, () => {
  console.log(`resource server on ${host}, port ${port} (issuer ${metadata.issuer}, keys from ${metadata.jwks_uri})`);
});
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.close(() => process.exit(0)));
