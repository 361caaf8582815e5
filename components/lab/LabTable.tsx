// The usual session-versus-JWT table, answered: one column per strategy of
// the lab, each cell a value a lab run measured, linked to the step that
// measured it, with the usual one-word claim beside each row. A table on a
// wide screen; on a phone, a card per strategy, so nothing sits off-screen.
import type { LabRun } from "@/lib/showcase/lab-run";
import { LAB_ROWS, type LabRow, type Tone } from "./cells";

const TONE: Record<Tone, string> = {
  good: "text-emerald-800 dark:text-emerald-300",
  bad: "text-red-700 dark:text-red-300",
  info: "text-zinc-700 dark:text-zinc-300",
};

const linkClass = "underline decoration-dotted underline-offset-2 hover:decoration-solid";

export function LabTable({
  run,
  stepHref,
  rows = LAB_ROWS,
}: {
  run: LabRun;
  stepHref: (step: number) => string;
  rows?: LabRow[];
}) {
  const strategies = run.strategies;
  return (
    <div data-testid="lab-table">
      <div className="overflow-x-auto rounded-lg border border-zinc-200 max-md:hidden dark:border-zinc-800">
        <table className="w-full text-left text-xs">
          <caption className="sr-only">
            Each strategy, measured by the lab run of {new Date(run.startedAt).toUTCString()}
          </caption>
          <thead className="bg-zinc-100 dark:bg-zinc-900">
            <tr>
              <th scope="col" className="px-2 py-2 font-medium">
                Aspect
              </th>
              <th scope="col" className="px-2 py-2 font-medium text-zinc-600 dark:text-zinc-400">
                The usual claim
              </th>
              {strategies.map((strategy) => (
                <th key={strategy.name} scope="col" className="px-2 py-2 align-bottom font-medium">
                  <span className="block font-mono">{strategy.name}</span>
                  <span className="block font-normal text-zinc-600 dark:text-zinc-400">
                    {strategy.transport} · {strategy.state}
                  </span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
            {rows.map((row) => (
              <tr key={row.id} data-testid={`lab-row-${row.id}`}>
                <th scope="row" className="px-2 py-1.5 align-top font-medium">
                  {row.aspect}
                </th>
                <td className="px-2 py-1.5 align-top italic text-zinc-600 dark:text-zinc-400">{row.claim}</td>
                {strategies.map((strategy) => {
                  const cell = row.cell(strategy, run);
                  return (
                    <td
                      key={strategy.name}
                      data-testid="lab-cell"
                      className={`px-2 py-1.5 align-top ${TONE[cell.tone]}`}
                    >
                      <a href={stepHref(cell.step)} className={linkClass}>
                        {cell.text}
                      </a>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="mt-2 text-xs text-zinc-600 dark:text-zinc-400">
        Every value was measured by the run of {new Date(run.startedAt).toUTCString()} (
        {run.database === "postgres" ? "PostgreSQL" : "SQLite"}); each links to the step that measured it. Check time:
        the server&apos;s own (Server-Timing), over {run.strategies[0]?.checkMs.n ?? 0} checks each. The usual claim:
        what the common session-versus-JWT table says.
      </p>
      <ul className="mt-3 space-y-3 md:hidden">
        {strategies.map((strategy) => (
          <li
            key={strategy.name}
            data-testid="lab-card"
            className="rounded-lg border border-zinc-200 p-3 dark:border-zinc-800"
          >
            <h3 className="text-sm">
              <span className="font-mono font-semibold">{strategy.name}</span>{" "}
              <span className="text-zinc-600 dark:text-zinc-400">
                {strategy.transport} · {strategy.state}
              </span>
            </h3>
            <dl className="mt-2 grid grid-cols-[7.5rem_1fr] gap-x-2 gap-y-1 text-xs">
              {rows.map((row) => {
                const cell = row.cell(strategy, run);
                return (
                  <div key={row.id} className="contents">
                    <dt className="font-medium">{row.aspect}</dt>
                    <dd className={TONE[cell.tone]}>
                      <a href={stepHref(cell.step)} className={linkClass}>
                        {cell.text}
                      </a>
                    </dd>
                  </div>
                );
              })}
            </dl>
          </li>
        ))}
      </ul>
    </div>
  );
}
