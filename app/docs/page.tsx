import type { Metadata } from "next";
import { DecisionGuide } from "@/components/DecisionGuide";
import { SeedClaims } from "@/components/SeedClaims";
import { TradeoffTable } from "@/components/TradeoffTable";
import { readBenchResults } from "@/lib/showcase/bench-results";
import { config } from "@/lib/config";
import { readAnswers } from "@/lib/showcase/decision-guide";
import { formatDuration } from "@/lib/duration";
import { scenarioLabel } from "@/lib/showcase/scenario-catalog";
import { readSource, symbolLine } from "@/lib/showcase/source";
import { PASSWORD_MAX_BYTES, PASSWORD_MIN_BYTES } from "@/lib/auth/password";

export const metadata: Metadata = { title: "Docs" };
export const dynamic = "force-dynamic";

// A checklist item and a link to the line of code that implements it.
function Item({
  title,
  code,
  children,
}: {
  title: string;
  code: [file: string, symbol: string];
  children: React.ReactNode;
}) {
  const [file, symbol] = code;
  const source = readSource(file);
  const line = source === null ? null : symbolLine(source, symbol);
  return (
    <li className="space-y-1 rounded-lg border border-zinc-200 p-4 dark:border-zinc-800">
      <p className="font-medium">{title}</p>
      <p className="text-sm text-zinc-700 dark:text-zinc-300">{children}</p>
      {/* A full page load, so the browser scrolls to and highlights the line (:target). */}
      <a
        href={`/docs/code/${file}${line ? `#L${line}` : ""}`}
        className="font-mono text-xs text-sky-700 underline underline-offset-4 dark:text-sky-400"
      >
        {file} · {symbol}
      </a>
    </li>
  );
}

export default async function DocsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { bcryptCost, throttle, session, jwt } = config();
  const answers = readAnswers(await searchParams);
  const bench = readBenchResults();
  return (
    <article className="max-w-4xl space-y-10">
      <header className="space-y-2">
        <h1 className="text-3xl font-semibold tracking-tight">How it is built</h1>
        <p className="text-zinc-600 dark:text-zinc-400">
          What each mechanism does, and where in the code each security property is implemented. Settings shown are this
          server&apos;s.
        </p>
      </header>

      <section id="guide" className="scroll-mt-4 space-y-3">
        <h2 className="text-xl font-semibold">Which should I use?</h2>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Five questions about what you are building. Every reason in the answer links to the experiment or the code
          that shows it.
        </p>
        <DecisionGuide answers={answers} />
      </section>

      <section className="space-y-3">
        <h2 className="text-xl font-semibold">When to use each</h2>
        <div className="grid gap-4 md:grid-cols-2">
          <div className="space-y-2 rounded-lg border border-session-300 p-4 text-sm dark:border-session-700">
            <p className="font-medium text-session-700 dark:text-session-300">Choose sessions when</p>
            <ul className="list-disc space-y-1 pl-5 text-zinc-700 dark:text-zinc-300">
              <li>the same site renders pages and serves the API (one origin, cookies just work);</li>
              <li>
                you need revocation to take effect on the next request (sign out everywhere, a fired employee, a stolen
                laptop);
              </li>
              <li>
                you can afford one indexed database read per request (see the dashboard&apos;s measured check time).
              </li>
            </ul>
          </div>
          <div className="space-y-2 rounded-lg border border-jwt-300 p-4 text-sm dark:border-jwt-700">
            <p className="font-medium text-jwt-700 dark:text-jwt-300">Choose JWTs when</p>
            <ul className="list-disc space-y-1 pl-5 text-zinc-700 dark:text-zinc-300">
              <li>
                other services or other origins must verify a caller without calling back (they need only the JWKS);
              </li>
              <li>
                clients are not browsers (mobile apps, CLIs, service-to-service) and send an Authorization header
                anyway;
              </li>
              <li>
                you accept that revocation waits for exp (minutes) — or pay a lookup per request with a denylist, which
                brings back the session&apos;s cost.
              </li>
            </ul>
          </div>
        </div>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Run the dashboard&apos;s scenarios to see each point happen: “{scenarioLabel("revoke-replay")}” measures how
          long a revoked credential keeps working, “{scenarioLabel("db-down")}” what each does when the database is
          gone.
        </p>
      </section>

      <section className="space-y-3">
        <h2 className="text-xl font-semibold">The usual claims about JWTs, tried here</h2>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          What is said for JWTs, what the experiments in this app show about it, and where to see it happen.
        </p>
        <SeedClaims read={bench} />
      </section>

      <section className="space-y-3">
        <h2 className="text-xl font-semibold">Trade-offs</h2>
        <TradeoffTable read={bench} accessTokenLifetime={formatDuration(jwt.accessTokenTtlMs)} />
      </section>

      <section className="space-y-3">
        <h2 className="text-xl font-semibold">Accounts (shared by both mechanisms)</h2>
        <ul className="grid gap-3 md:grid-cols-2">
          <Item
            title={`Passwords hashed with bcrypt, cost ${bcryptCost}`}
            code={["lib/auth/password.ts", "hashPassword"]}
          >
            Each extra cost step doubles the work of a guess. Set by BCRYPT_COST.
          </Item>
          <Item
            title={`Passwords of ${PASSWORD_MIN_BYTES} to ${PASSWORD_MAX_BYTES} bytes`}
            code={["lib/auth/password.ts", "checkPasswordPolicy"]}
          >
            bcrypt ignores bytes past {PASSWORD_MAX_BYTES}, so longer passwords are refused rather than silently cut.
            Passwords are NFKC-normalised first, so the same password typed differently hashes the same.
          </Item>
          <Item title="Emails normalised" code={["lib/auth/password.ts", "normalizeEmail"]}>
            Trimmed, NFKC-normalised and lower-cased, so one person cannot hold two accounts that differ only in case.
          </Item>
          <Item title="Same answer and same time for unknown emails" code={["lib/auth/password.ts", "verifyPassword"]}>
            An unknown email is checked against a dummy bcrypt hash, so timing does not reveal who has an account.
          </Item>
          <Item
            title={`Throttling: ${throttle.account.freeFailures} free failures per account, ${throttle.ip.freeFailures} per address`}
            code={["lib/auth/throttle.ts", "reserveAttempt"]}
          >
            Past those, each failure doubles the wait (up to {Math.round(throttle.account.maxDelayMs / 60000)} min).
            Counters live in the database, so every server instance enforces the same limit.
          </Item>
          <Item title="An audit log" code={["lib/auth/events.ts", "recordEvent"]}>
            Registrations and lockouts are recorded with address and device; writes never block the request.
          </Item>
        </ul>
      </section>

      <section className="space-y-3">
        <h2 className="text-xl font-semibold text-session-700 dark:text-session-300">Session authentication</h2>
        <ul className="grid gap-3 md:grid-cols-2">
          <Item title="A new 256-bit session id at every sign-in" code={["lib/auth/session.ts", "createSession"]}>
            From the operating system&apos;s CSPRNG. Signing in never reuses an id, so an id planted before sign-in
            (session fixation) is worthless; a password change issues a new one too.
          </Item>
          <Item title="Only the id's SHA-256 hash is stored" code={["lib/auth/session.ts", "hashSessionToken"]}>
            A copy of the session table signs no one in.
          </Item>
          <Item
            title="The id travels sealed in an HttpOnly cookie"
            code={["lib/auth/session-cookie.ts", "sealSessionToken"]}
          >
            iron-session seals it with a rotating password; page script cannot read it; SameSite=Lax; __Host- and Secure
            over https.
          </Item>
          <Item
            title={`Idle limit ${formatDuration(session.idleTimeoutMs)}, absolute limit ${formatDuration(session.absoluteTimeoutMs)}`}
            code={["lib/auth/session.ts", "decideExpiry"]}
          >
            Checked on every request; last-seen is written at most every {Math.round(session.renewIntervalMs / 1000)} s.
          </Item>
          <Item
            title="Revocation takes effect on the next request"
            code={["lib/auth/session.ts", "invalidateUserSessions"]}
          >
            Revoking deletes the record; the next lookup finds nothing.
          </Item>
          <Item title="Cross-site requests refused" code={["lib/http.ts", "checkSameOrigin"]}>
            State-changing cookie routes require Sec-Fetch-Site: same-origin or a same-site Origin (403 otherwise);
            server actions rely on Next&apos;s Origin check.
          </Item>
          <Item title="Same-site redirects only after sign-in" code={["lib/safe-redirect.ts", "safeNextPath"]}>
            Absolute URLs, //host, backslashes and control characters fall back to /account.
          </Item>
        </ul>
      </section>

      <section className="space-y-3">
        <h2 className="text-xl font-semibold text-jwt-700 dark:text-jwt-300">JWT authentication</h2>
        <ul className="grid gap-3 md:grid-cols-2">
          <Item
            title={`RFC 9068 access tokens, ${jwt.algorithm}, ${formatDuration(jwt.accessTokenTtlMs)}`}
            code={["lib/auth/jwt.ts", "issueAccessToken"]}
          >
            Header typ at+jwt and kid; claims iss, aud, sub, iat, exp, jti, client_id, sid.
          </Item>
          <Item title="Strict verification (RFC 8725)" code={["lib/auth/jwt.ts", "verifyAccessToken"]}>
            Algorithm allow-list matched to the key; our own key set only (jwk, jku, x5u refused); typ, iss, aud, exp
            and required claims checked with 5 s tolerance; every failure a typed 401, never a 500.
          </Item>
          <Item
            title="Keys encrypted at rest, rotated without failures"
            code={["lib/auth/keys.ts", "rotateSigningKey"]}
          >
            Private keys sealed with AES-256-GCM under a key derived from AUTH_SECRET; a new key is published for the
            JWKS&apos;s max-age before it signs, so no service with a cached JWKS meets it unannounced; retired keys
            keep verifying until their last token has expired.
          </Item>
          <Item
            title="Rotating refresh tokens with theft detection"
            code={["lib/auth/refresh.ts", "rotateRefreshToken"]}
          >
            256-bit, stored hashed, one use each; reuse after a {Math.round(jwt.refreshReuseGraceMs / 1000)} s grace
            window revokes the whole family.
          </Item>
          <Item
            title="Refresh token out of page script's reach"
            code={["lib/auth/refresh-cookie.ts", "setRefreshCookie"]}
          >
            Browsers get it in an HttpOnly, SameSite=Strict cookie scoped to /api/auth/refresh; the access token lives
            in page memory only.
          </Item>
          <Item
            title="Revocation, and the denylist that makes it immediate"
            code={["lib/auth/token-endpoint.ts", "revokeToken"]}
          >
            Revoking ends the refresh family; an access token keeps working until exp unless denylist mode checks its
            jti.
          </Item>
        </ul>
      </section>
    </article>
  );
}
