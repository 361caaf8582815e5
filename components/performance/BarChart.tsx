// Horizontal bar chart: one row per item, the value printed beside the bar,
// optional dots for individual rounds (so run-to-run spread is visible),
// linear or log scale. The text is HTML and only the bars are SVG, so the
// text keeps its real size on a phone: one scaled 720-unit SVG drew 13 px
// labels at about 6 px on a 390 px screen. Colours come from Tailwind
// classes, so the chart follows light and dark mode.
export type Bar = { label: string; value: number; note?: string; dots?: number[]; tone?: Tone };
type Tone = "neutral" | "session" | "jwt" | "warn";

const FILL: Record<Tone, string> = {
  neutral: "fill-zinc-400 dark:fill-zinc-500",
  session: "fill-session-500 dark:fill-session-300",
  jwt: "fill-jwt-500 dark:fill-jwt-300",
  warn: "fill-amber-500 dark:fill-amber-400",
};

// Where a value sits on the plot, in percent of its width.
function barScale(values: number[], scale: "linear" | "log"): (value: number) => number {
  const max = Math.max(...values, Number.MIN_VALUE);
  const min = Math.min(...values.filter((value) => value > 0));
  // Log scale starts one decade below the smallest value so it still shows a bar.
  const floor = scale === "log" ? 10 ** (Math.floor(Math.log10(min)) - 1) : 0;
  return (value) =>
    scale === "log"
      ? ((Math.log10(Math.max(value, floor)) - Math.log10(floor)) / (Math.log10(max) - Math.log10(floor) || 1)) * 100
      : (value / max) * 100;
}

export function BarChart({
  title,
  bars,
  format,
  scale = "linear",
  testId,
}: {
  title: string;
  bars: Bar[];
  format: (value: number) => string;
  scale?: "linear" | "log";
  testId?: string;
}) {
  const x = barScale(
    bars.flatMap((bar) => [bar.value, ...(bar.dots ?? [])]),
    scale,
  );
  return (
    <figure data-testid={testId} className="space-y-2">
      <figcaption className="text-sm font-medium">{title}</figcaption>
      <ul className="space-y-2 text-[13px] sm:space-y-1">
        {bars.map((bar) => (
          <li
            key={bar.label}
            data-bar={bar.label}
            data-value={bar.value}
            className="grid grid-cols-[1fr_7.5rem] items-center gap-x-2 sm:grid-cols-[11rem_1fr_10rem]"
          >
            <span className="col-span-2 truncate sm:col-span-1 sm:text-right" title={bar.label}>
              {bar.label}
            </span>
            {/* SVG lengths in percent, not inline styles, which the content
                security policy refuses; no viewBox, so dots stay round. */}
            <svg className="h-4 w-full overflow-visible" aria-hidden="true">
              <rect
                x="0"
                y="2"
                height="12"
                rx="2"
                width={`${Math.max(0.3, x(bar.value))}%`}
                className={FILL[bar.tone ?? "neutral"]}
              />
              {(bar.dots ?? []).map((dot, j) => (
                <circle key={j} cx={`${x(dot)}%`} cy="8" r="2.5" className="fill-zinc-900/70 dark:fill-white/80">
                  <title>{`round ${j + 1}: ${format(dot)}`}</title>
                </circle>
              ))}
            </svg>
            <span className="tabular-nums">
              {format(bar.value)}
              {bar.note ? <span className="text-zinc-600 dark:text-zinc-400">{`  ${bar.note}`}</span> : null}
            </span>
          </li>
        ))}
      </ul>
    </figure>
  );
}
