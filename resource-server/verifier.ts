// How this service trusts an access token without the issuer's database or
// secrets: it learns the issuer's metadata by discovery (RFC 8414), fetches
// the public keys from its jwks_uri with jose's createRemoteJWKSet, and
// checks every token under RFC 8725's rules: an allow-listed alg, typ
// at+jwt (RFC 9068), the exact issuer and audience, a live exp, and only the
// issuer's own keys (a key named inside the token is never used).
import { createRemoteJWKSet, customFetch, decodeProtectedHeader, errors, jwtVerify, type JWTPayload } from "jose";

export type Metadata = {
  issuer: string;
  jwks_uri: string;
  introspection_endpoint?: string;
  access_token_signing_alg_values_supported?: string[];
};

export type Claims = JWTPayload & {
  sub: string;
  email: string;
  client_id: string;
  jti: string;
  sid: string;
  // RFC 9449 §6.1: the DPoP key the token is bound to.
  cnf?: { jkt: string };
};

// fetchedKeys: this check had to fetch the JWKS first (the first token, or
// the cached set had gone stale), so its time includes a round trip.
export type Verified = { claims: Claims; kid: string; fetchedKeys: boolean };

// A refusal a client can act on; `unavailable` means the keys could not be
// fetched (the issuer is down and none are cached), not a bad token.
export class Refusal extends Error {
  constructor(
    message: string,
    readonly unavailable = false,
  ) {
    super(message);
  }
}

const ALGORITHMS = ["ES256", "EdDSA"];
const CLOCK_TOLERANCE_SECONDS = 5;

// https, except on this machine: over plain http anyone on the way could
// answer discovery with keys of their own.
export function checkIssuer(issuer: string): void {
  const url = new URL(issuer);
  const loopback = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/.test(url.hostname);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback)) {
    throw new Error(`ISSUER must be https:// (http:// only on this machine): ${issuer}`);
  }
}

export async function discover(issuer: string): Promise<Metadata> {
  const response = await fetch(`${issuer}/.well-known/oauth-authorization-server`, {
    signal: AbortSignal.timeout(5000),
  });
  if (!response.ok) throw new Error(`discovery at ${issuer} answered ${response.status}`);
  const metadata = (await response.json()) as Metadata;
  // RFC 8414 §3.3: the metadata must name the issuer it was fetched for. Its
  // keys and introspection must live there too: a rewritten document must
  // not send this service to someone else's keys, or its secret elsewhere.
  if (metadata.issuer !== issuer) throw new Error(`discovery names issuer ${metadata.issuer}, not ${issuer}`);
  for (const endpoint of [metadata.jwks_uri, metadata.introspection_endpoint]) {
    if (endpoint !== undefined && new URL(endpoint).origin !== new URL(issuer).origin) {
      throw new Error(`discovery points outside the issuer: ${endpoint}`);
    }
  }
  return metadata;
}

// When the JWKS answer says nothing about caching: jose's own default.
const UNSTATED_MAX_AGE_MS = 10 * 60_000;

// How long a JWKS answer may be kept: its Cache-Control max-age less the Age
// a shared cache in between added (RFC 9111 §4.2); no-store / no-cache: 0.
export function freshnessOf(response: Response): number {
  const cacheControl = response.headers.get("cache-control") ?? "";
  if (/\bno-(store|cache)\b/i.test(cacheControl)) return 0;
  const maxAge = /\bmax-age=(\d+)/i.exec(cacheControl);
  if (!maxAge) return UNSTATED_MAX_AGE_MS;
  return Math.max(0, Number(maxAge[1]) - Number(response.headers.get("age") ?? 0)) * 1000;
}

// When refetching keeps failing, the copy in hand is trusted this long past
// its max-age, then no longer: a key withdrawn in an emergency must not stay
// trusted because someone keeps this service from reaching the issuer.
const STALE_LIMIT_MS = 60 * 60_000;
// After a failed refetch, checks use the copy in hand without waiting.
const RETRY_AFTER_FAILURE_MS = 5000;

// jose's remote key set, kept for as long as the issuer's max-age says
// rather than jose's fixed ten minutes: the issuer publishes a new key at
// least that long before it signs with it, so a verifier that honours
// max-age never meets an unknown kid, and a withdrawn key is dropped within
// max-age. Once the copy is stale, a token whose kid is in it is checked with
// it while the set is refetched in the background (no check waits for the
// issuer); a token with a kid it lacks waits for the refetch. When a
// refetch fails, the copy in hand is used (stale-if-error, RFC 5861) for up
// to an hour. jose itself still refetches on an unknown kid at most every 30 s.
function keySetHonouringMaxAge(jwksUri: string) {
  let lastFreshnessMs = 0;
  let expiresAt = 0;
  let retryAt = 0;
  let refetching: Promise<boolean> | null = null;
  const keys = createRemoteJWKSet(new URL(jwksUri), {
    cacheMaxAge: Infinity,
    [customFetch]: async (url: string, init: RequestInit) => {
      const response = await fetch(url, init);
      lastFreshnessMs = freshnessOf(response);
      return response;
    },
  });
  // A set counts as fetched only once jose accepted it (a 200 with a JWKS).
  function refetch(): Promise<boolean> {
    const requestedAt = Date.now();
    refetching ??= keys
      .reload()
      .then(
        () => {
          expiresAt = requestedAt + lastFreshnessMs;
          return true;
        },
        () => {
          retryAt = Date.now() + RETRY_AFTER_FAILURE_MS;
          return false;
        },
      )
      .finally(() => {
        refetching = null;
      });
    return refetching;
  }
  // Whether this check had to wait for a fetch of the keys.
  async function keysFor(kid: string | undefined): Promise<boolean> {
    if (!keys.jwks()) {
      await keys.reload();
      expiresAt = Date.now() + lastFreshnessMs;
      return true;
    }
    const now = Date.now();
    if (now < expiresAt) return false;
    const pending = now >= retryAt ? refetch() : refetching;
    const known = keys.jwks()?.keys.some((key) => key.kid === kid) ?? false;
    if (pending && (!known || now >= expiresAt + STALE_LIMIT_MS) && (await pending)) return true;
    if (Date.now() >= expiresAt + STALE_LIMIT_MS) {
      throw new Refusal("The issuer's keys could not be fetched for an hour; the old copy is no longer trusted.", true);
    }
    return false;
  }
  return { keys, keysFor };
}

export function createVerifier(metadata: Metadata, audience: string) {
  const { keys, keysFor } = keySetHonouringMaxAge(metadata.jwks_uri);
  const algorithms = (metadata.access_token_signing_alg_values_supported ?? ALGORITHMS).filter((alg) =>
    ALGORITHMS.includes(alg),
  );
  return async function verify(token: string): Promise<Verified> {
    try {
      const fetchedKeys = await keysFor(kidOf(token));
      const { payload, protectedHeader } = await jwtVerify<Claims>(token, keys, {
        issuer: metadata.issuer,
        audience,
        algorithms,
        typ: "at+jwt",
        requiredClaims: ["iss", "aud", "sub", "exp", "iat", "jti", "client_id"],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
      });
      return { claims: payload, kid: protectedHeader.kid ?? "", fetchedKeys };
    } catch (error) {
      throw refusalFor(error);
    }
  };
}

function kidOf(token: string): string | undefined {
  try {
    return decodeProtectedHeader(token).kid;
  } catch {
    throw new Refusal("The token is not a well-formed JWT.");
  }
}

function refusalFor(error: unknown): Refusal {
  if (error instanceof Refusal) return error;
  if (error instanceof errors.JWTExpired) return new Refusal("The access token expired.");
  if (error instanceof errors.JWTClaimValidationFailed)
    return new Refusal(`The token's "${error.claim}" is not accepted here.`);
  if (error instanceof errors.JOSEAlgNotAllowed) return new Refusal("The token's algorithm is not allowed.");
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return new Refusal("The token's signature does not verify.");
  if (error instanceof errors.JWKSNoMatchingKey)
    return new Refusal("The token was signed by a key the issuer does not publish.");
  // A JOSEError of no more specific kind comes from fetching the JWKS (not 200, not JSON).
  const fetchFailed = error instanceof errors.JOSEError && error.code === errors.JOSEError.code;
  if (error instanceof errors.JWKSTimeout || error instanceof TypeError || fetchFailed) {
    return new Refusal("The issuer's keys cannot be fetched right now.", true);
  }
  return new Refusal("The token is not a well-formed JWT.");
}

// RFC 7662, as a resource server: its own credentials, a form body.
export async function introspect(
  metadata: Metadata,
  client: { id: string; secret: string },
  token: string,
): Promise<{ active: boolean }> {
  if (!metadata.introspection_endpoint) throw new Refusal("The issuer offers no introspection.", true);
  const credentials = `${encodeURIComponent(client.id)}:${encodeURIComponent(client.secret)}`;
  let response: Response;
  try {
    response = await fetch(metadata.introspection_endpoint, {
      method: "POST",
      headers: {
        authorization: `Basic ${Buffer.from(credentials).toString("base64")}`,
        "content-type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams({ token }),
      signal: AbortSignal.timeout(5000),
    });
  } catch {
    throw new Refusal("The issuer cannot be asked right now.", true);
  }
  if (!response.ok) throw new Refusal(`The issuer's introspection answered ${response.status}.`, true);
  // Anything but a literal true is "not active".
  const answer = (await response.json()) as { active?: unknown };
  return { active: answer.active === true };
}
