// Horizontal bar chart drawn as SVG on the server: one row per item, the
// value printed at the bar's end, optional dots for individual rounds (so
// run-to-run spread is visible), linear or log scale. Colours come from
// Tailwind classes, so it follows light and dark mode.
export type Bar = { label: string; value: number; note?: string; dots?: number[]; tone?: Tone };
type Tone = "neutral" | "session" | "jwt" | "warn";

const FILL: Record<Tone, string> = {
  neutral: "fill-zinc-400 dark:fill-zinc-500",
  session: "fill-session-500 dark:fill-session-300",
  jwt: "fill-jwt-500 dark:fill-jwt-300",
  warn: "fill-amber-500 dark:fill-amber-400",
};

const ROW = 30;
const LABEL_WIDTH = 190;
const WIDTH = 720;
const VALUE_SPACE = 150;

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
  const plot = WIDTH - LABEL_WIDTH - VALUE_SPACE;
  const max = Math.max(...bars.flatMap((bar) => [bar.value, ...(bar.dots ?? [])]), Number.MIN_VALUE);
  const min = Math.min(...bars.map((bar) => bar.value).filter((value) => value > 0));
  // Log scale starts one decade below the smallest value so it still shows a bar.
  const floor = scale === "log" ? 10 ** (Math.floor(Math.log10(min)) - 1) : 0;
  const x = (value: number) =>
    scale === "log"
      ? ((Math.log10(Math.max(value, floor)) - Math.log10(floor)) / (Math.log10(max) - Math.log10(floor) || 1)) * plot
      : (value / max) * plot;
  const height = bars.length * ROW + 8;
  return (
    <figure data-testid={testId} className="space-y-2">
      <figcaption className="text-sm font-medium">{title}</figcaption>
      <svg
        viewBox={`0 0 ${WIDTH} ${height}`}
        role="img"
        aria-label={title}
        className="w-full text-zinc-900 dark:text-zinc-100"
      >
        {bars.map((bar, i) => {
          const y = i * ROW + 4;
          const width = Math.max(1, x(bar.value));
          // The value goes past the bar and past any round's dot.
          const labelAt = LABEL_WIDTH + Math.max(width, ...(bar.dots ?? []).map(x)) + 8;
          return (
            <g key={bar.label} data-bar={bar.label} data-value={bar.value}>
              <text
                x={LABEL_WIDTH - 10}
                y={y + ROW / 2}
                textAnchor="end"
                dominantBaseline="middle"
                className="fill-current text-[13px]"
              >
                {bar.label}
              </text>
              <rect
                x={LABEL_WIDTH}
                y={y + 4}
                width={width}
                height={ROW - 10}
                rx={3}
                className={FILL[bar.tone ?? "neutral"]}
              />
              {(bar.dots ?? []).map((dot, j) => (
                <circle
                  key={j}
                  cx={LABEL_WIDTH + x(dot)}
                  cy={y + ROW / 2 - 1}
                  r={2.5}
                  className="fill-zinc-900/70 dark:fill-white/80"
                >
                  <title>{`round ${j + 1}: ${format(dot)}`}</title>
                </circle>
              ))}
              <text
                x={labelAt}
                y={y + ROW / 2}
                dominantBaseline="middle"
                className="fill-current text-[13px] tabular-nums"
              >
                {format(bar.value)}
                {bar.note ? <tspan className="fill-zinc-500 dark:fill-zinc-400">{`  ${bar.note}`}</tspan> : null}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
