import type { Metadata } from "next";
import Link from "next/link";
import { Card } from "@/components/Card";
import { LabRunner } from "@/components/lab/LabRunner";
import { listStrategies } from "@/lib/showcase/lab";
import { lastLabRun } from "@/lib/showcase/lab-run";

export const metadata: Metadata = { title: "Strategies lab" };
export const dynamic = "force-dynamic";

const GRID = [
  { transport: "Cookie", server: "server-session, bff", token: "sealed-cookie" },
  { transport: "Authorization header", server: "opaque-bearer", token: "bearer-jwt" },
];

export default async function LabPage() {
  const strategies = listStrategies();
  return (
    <div className="space-y-6">
      <header className="max-w-3xl space-y-2">
        <h1 className="text-2xl font-semibold tracking-tight">Strategies lab</h1>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          The ways of keeping someone signed in that people actually ship, built from this app&apos;s own auth code, on
          the same account, measured side by side by real requests. Two choices hide inside &ldquo;session or
          JWT&rdquo;: how the credential travels decides CSRF and XSS exposure; where its state lives decides revocation
          and what a check reads. See{" "}
          <Link href="/docs/code/docs/strategies.md" className="underline underline-offset-2">
            docs/strategies.md
          </Link>
          .
        </p>
      </header>

      <Card title="Run the lab" testId="lab-run">
        <LabRunner
          strategies={strategies.map(({ name, transport }) => ({ name, transport }))}
          last={await lastLabRun()}
        />
      </Card>

      <Card title="Two questions, not one" testId="lab-grid">
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <thead className="text-xs uppercase tracking-wide text-zinc-500 dark:text-zinc-400">
              <tr>
                <th scope="col" className="py-2 pr-3 font-medium">
                  Travels in
                </th>
                <th scope="col" className="py-2 pr-3 font-medium">
                  State on the server (a read per check)
                </th>
                <th scope="col" className="py-2 font-medium">
                  State in the credential
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-200 font-mono text-xs dark:divide-zinc-800">
              {GRID.map((row) => (
                <tr key={row.transport}>
                  <th scope="row" className="py-2 pr-3 font-sans text-sm font-medium">
                    {row.transport}
                  </th>
                  <td className="py-2 pr-3">{row.server}</td>
                  <td className="py-2">{row.token}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Between the two: <span className="font-mono">cookie-cache</span> (a server session with a short-lived sealed
          copy in front of it) and <span className="font-mono">sealed-cookie-stamp</span> (a sealed cookie plus a
          per-user &ldquo;valid after&rdquo; time, read on every check).
        </p>
      </Card>

      <Card title="The strategies" testId="lab-strategies">
        <dl className="grid gap-3 text-sm sm:grid-cols-2">
          {strategies.map((strategy) => (
            <div key={strategy.name} className="rounded-lg border border-zinc-200 p-3 dark:border-zinc-800">
              <dt>
                <span className="font-mono font-semibold">{strategy.name}</span>{" "}
                <span className="text-xs text-zinc-500 dark:text-zinc-400">
                  {strategy.transport} · state: {strategy.state}
                  {strategy.variant_of ? ` · a variant of ${strategy.variant_of}` : ""}
                </span>
              </dt>
              <dd className="mt-1 text-zinc-700 dark:text-zinc-300">{strategy.summary}</dd>
            </div>
          ))}
        </dl>
      </Card>
    </div>
  );
}
