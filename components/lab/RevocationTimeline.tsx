// How long a revoked credential keeps working, on one logarithmic axis from
// a tenth of a second to a month: each strategy as the lab run measured it
// (solid; paler past the run's watch, up to the time the strategy itself
// said it stays valid), beside the documented defaults of products built on
// each design (lib/showcase/product-windows.ts), each with its source.
import type { LabRun } from "@/lib/showcase/lab-run";
import { PRODUCT_WINDOWS } from "@/lib/showcase/product-windows";
import { formatElapsed } from "@/lib/duration";
import { roughlyUntil } from "./cells";

const MIN_S = 0.1;
const MAX_S = 30 * 86_400;
// Each tick's label is placed by a class of its own (the content security
// policy allows no inline style): its position on the axis, checked against
// at() by components/lab/timeline.test.ts.
export const TICKS: [seconds: number, label: string, position: string][] = [
  [1, "1 s", "left-[13.49%]"],
  [60, "1 min", "left-[37.47%]"],
  [3600, "1 h", "left-[61.46%]"],
  [86_400, "1 d", "left-[80.08%]"],
  [30 * 86_400, "30 d", "right-0"],
];

// Position on the axis, 0–100 %.
export const at = (s: number) =>
  (100 * (Math.log10(Math.min(MAX_S, Math.max(MIN_S, s))) - Math.log10(MIN_S))) /
  (Math.log10(MAX_S) - Math.log10(MIN_S));

// SVG lengths in percent, not inline styles, which the content security
// policy does not allow.
function Bar({ measured, beyond, tone }: { measured: number; beyond?: number; tone: "lab" | "product" }) {
  const color = tone === "lab" ? "fill-session-500" : "fill-zinc-400 dark:fill-zinc-500";
  return (
    <svg className="h-3 w-full" aria-hidden>
      <rect width="100%" height="100%" rx="2" className="fill-zinc-100 dark:fill-zinc-800" />
      {TICKS.map(([s]) => (
        <rect key={s} x={`${at(s)}%`} width="1" height="100%" className="fill-zinc-300 dark:fill-zinc-700" />
      ))}
      <rect width={`${Math.max(0.4, at(measured))}%`} height="100%" rx="2" className={color} />
      {beyond !== undefined && beyond > measured && (
        <rect
          x={`${at(measured)}%`}
          width={`${at(beyond) - at(measured)}%`}
          height="100%"
          rx="2"
          className={`${color} opacity-35`}
        />
      )}
    </svg>
  );
}

function Axis() {
  return (
    <div className="relative h-4 text-[10px] text-zinc-600 dark:text-zinc-400" aria-hidden>
      {TICKS.map(([s, label, position]) => (
        <span key={s} className={`absolute top-0 ${position} ${position === "right-0" ? "" : "-translate-x-1/2"}`}>
          {label}
        </span>
      ))}
    </div>
  );
}

export function RevocationTimeline({ run, stepHref }: { run: LabRun; stepHref: (step: number) => string }) {
  const started = Date.parse(run.startedAt);
  return (
    <div data-testid="revocation-timeline" className="space-y-3 text-xs">
      <div className="grid grid-cols-[minmax(0,11rem)_1fr] items-end gap-x-3 max-sm:grid-cols-1">
        <span />
        <Axis />
      </div>
      <ul className="space-y-1.5" aria-label="Measured in this run">
        {run.strategies.map((strategy) => {
          const r = strategy.revocation;
          const measuredS = (r.refusedAfterMs ?? r.watchedMs) / 1000;
          const beyond = r.stillValidUntil ? (Date.parse(r.stillValidUntil) - started) / 1000 : undefined;
          const said =
            r.refusedAfterMs === null
              ? `still accepted after ${formatElapsed(r.watchedMs)}${r.stillValidUntil ? `, valid ${roughlyUntil(r.stillValidUntil, started)} more` : ""}`
              : r.acceptedReplays === 0
                ? `refused at the next request (${formatElapsed(r.refusedAfterMs)})`
                : `refused after ${formatElapsed(r.refusedAfterMs)}`;
          return (
            <li
              key={strategy.name}
              className="grid grid-cols-[minmax(0,11rem)_1fr] items-center gap-x-3 max-sm:grid-cols-1"
            >
              <a href={stepHref(r.step)} className="underline decoration-dotted underline-offset-2">
                <span className="font-mono">{strategy.name}</span>: {said}
              </a>
              <Bar measured={measuredS} beyond={r.refusedAfterMs === null ? beyond : undefined} tone="lab" />
            </li>
          );
        })}
      </ul>
      <ul className="space-y-1.5 border-t border-zinc-200 pt-3 dark:border-zinc-800" aria-label="Documented defaults">
        {PRODUCT_WINDOWS.map((product) => (
          <li
            key={product.product}
            className="grid grid-cols-[minmax(0,11rem)_1fr] items-center gap-x-3 max-sm:grid-cols-1"
          >
            <span>
              <a
                href={product.source.href}
                className="underline decoration-dotted underline-offset-2"
                title={product.source.label}
              >
                {product.product}
              </a>{" "}
              <span className="text-zinc-500 dark:text-zinc-400">
                ({product.design}): {product.what}
              </span>
            </span>
            <Bar measured={product.seconds} tone="product" />
          </li>
        ))}
      </ul>
    </div>
  );
}
