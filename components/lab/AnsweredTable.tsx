// The dashboard's first screen: the usual session-versus-JWT table,
// answered by the last lab run on this server, one column per strategy.
import Link from "next/link";
import { Card } from "@/components/Card";
import type { LastLabRun } from "@/lib/showcase/lab-run";
import { LabTable } from "./LabTable";

export function AnsweredTable({ last }: { last: LastLabRun }) {
  const run = last.status === "ok" ? last.run : null;
  return (
    <Card
      title="The usual table, answered"
      testId="answered-table"
      actions={
        <Link href="/lab" className="text-sm text-sky-700 underline underline-offset-4 dark:text-sky-400">
          {run ? "Run the lab again" : "Run the lab"}
        </Link>
      }
    >
      {run ? (
        <LabTable run={run} stepHref={(step) => `/lab#lab-step-${step}`} />
      ) : (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Storage, state, scalability, performance, revocation, CSRF, XSS and other services, for six designs that
          people ship, each cell measured rather than claimed:{" "}
          {last.status === "unavailable"
            ? "the database is unavailable, so the last lab run cannot be read."
            : "no lab run has completed on this server yet. A run takes about a minute, on a throwaway account of your own."}
        </p>
      )}
    </Card>
  );
}
