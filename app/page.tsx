import Link from "next/link";
import { TradeoffTable } from "@/components/TradeoffTable";
import { readBenchResults } from "@/lib/showcase/bench-results";
import { config } from "@/lib/config";
import { formatDuration } from "@/lib/duration";

export const dynamic = "force-dynamic";

function Mechanism({
  tone,
  title,
  travels,
  stores,
  means,
}: {
  tone: "session" | "jwt";
  title: string;
  travels: string;
  stores: string;
  means: string;
}) {
  const accent =
    tone === "session"
      ? "border-session-300 bg-session-50 dark:border-session-700 dark:bg-session-950/40"
      : "border-jwt-300 bg-jwt-50 dark:border-jwt-700 dark:bg-jwt-950/40";
  return (
    <section className={`space-y-3 rounded-xl border p-5 ${accent}`}>
      <h2 className="text-lg font-semibold">{title}</h2>
      <dl className="space-y-2 text-sm">
        <div>
          <dt className="font-medium">What travels</dt>
          <dd className="text-zinc-700 dark:text-zinc-300">{travels}</dd>
        </div>
        <div>
          <dt className="font-medium">What the server stores</dt>
          <dd className="text-zinc-700 dark:text-zinc-300">{stores}</dd>
        </div>
        <div>
          <dt className="font-medium">What that means</dt>
          <dd className="text-zinc-700 dark:text-zinc-300">{means}</dd>
        </div>
      </dl>
    </section>
  );
}

export default function Home() {
  return (
    <div className="space-y-10">
      <header className="max-w-3xl space-y-3">
        <h1 className="text-3xl font-semibold tracking-tight sm:text-4xl">
          Sessions and JWTs, both done properly, side by side.
        </h1>
        <p className="text-zinc-600 dark:text-zinc-400">
          The same users can sign in either way on this server. Each flow follows the OWASP cheat sheets and the RFCs,
          so the differences you see come from the mechanisms, not from a careless implementation of one of them.
        </p>
        <div className="flex flex-wrap gap-3 pt-2">
          <Link
            href="/dashboard"
            className="rounded-md bg-zinc-900 px-4 py-2 text-sm font-medium text-white hover:bg-zinc-700 dark:bg-zinc-100 dark:text-zinc-900 dark:hover:bg-white"
          >
            Try both on the dashboard
          </Link>
          <Link
            href="/register"
            className="rounded-md border border-zinc-300 px-4 py-2 text-sm font-medium hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800"
          >
            Create an account
          </Link>
          <Link
            href="/docs"
            className="rounded-md border border-zinc-300 px-4 py-2 text-sm font-medium hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800"
          >
            Read how each is built
          </Link>
        </div>
      </header>

      <div className="grid gap-4 md:grid-cols-2">
        <Mechanism
          tone="session"
          title="Session"
          travels="A cookie holding a random 256-bit id, sealed and HttpOnly: page script cannot read it, the browser sends it by itself."
          stores="A session row per signed-in device (only the id's SHA-256 hash, with user, times, address and device)."
          means="Every request costs a lookup, and revoking is deleting a row: it takes effect on the very next request."
        />
        <Mechanism
          tone="jwt"
          title="JWT"
          travels="A signed access token (who, for whom, until when) in the Authorization header, kept in page memory."
          stores="Only signing keys, plus refresh-token families so short-lived access tokens can be renewed."
          means="A request is checked by its signature alone, but a stolen token keeps working until it expires, unless every check also consults a denylist."
        />
      </div>

      <section className="space-y-3">
        <h2 className="text-xl font-semibold tracking-tight">The trade-offs, measured</h2>
        <TradeoffTable read={readBenchResults()} accessTokenLifetime={formatDuration(config().jwt.accessTokenTtlMs)} />
      </section>
    </div>
  );
}
