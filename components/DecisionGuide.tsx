// "Which should I use?" on /docs: a plain GET form, so it works without
// JavaScript and the answers are a URL to share; the recommendation comes
// from lib/showcase/decision-guide.ts, each reason linking to where it is
// shown.
import Link from "next/link";
import { QUESTIONS, recommend, type Answers } from "@/lib/showcase/decision-guide";
import { scenarioLabel } from "@/lib/showcase/scenario-catalog";

const TONE = {
  session: "border-session-300 dark:border-session-700",
  jwt: "border-jwt-300 dark:border-jwt-700",
  both: "border-zinc-300 dark:border-zinc-700",
};

export function DecisionGuide({ answers }: { answers: Answers | null }) {
  const recommendation = answers ? recommend(answers) : null;
  return (
    <div className="space-y-4">
      <form method="get" action="/docs#guide-result" className="space-y-3" data-testid="guide-form">
        {QUESTIONS.map(({ id, question, options }) => (
          <fieldset key={id} className="space-y-1.5 rounded-lg border border-zinc-200 p-3 dark:border-zinc-800">
            <legend className="px-1 text-sm font-medium">{question}</legend>
            <div className="flex flex-wrap gap-x-5 gap-y-1.5 text-sm">
              {options.map(([value, label]) => (
                <label key={value} className="flex items-center gap-2">
                  <input
                    type="radio"
                    name={id}
                    value={value}
                    required
                    defaultChecked={answers?.[id] === value}
                    className="size-4 accent-zinc-900 dark:accent-zinc-100"
                  />
                  {label}
                </label>
              ))}
            </div>
          </fieldset>
        ))}
        <button
          type="submit"
          className="rounded-md bg-zinc-900 px-4 py-2 text-sm font-medium text-white hover:bg-zinc-700 dark:bg-zinc-100 dark:text-zinc-900 dark:hover:bg-white"
        >
          Recommend
        </button>
      </form>
      {recommendation ? (
        <section
          id="guide-result"
          aria-labelledby="guide-result-title"
          data-testid="guide-result"
          data-choice={recommendation.choice}
          className={`scroll-mt-4 space-y-3 rounded-lg border-2 p-4 ${TONE[recommendation.choice]}`}
        >
          <h3 id="guide-result-title" className="text-lg font-semibold">
            {recommendation.title}
          </h3>
          <p className="text-sm text-zinc-700 dark:text-zinc-300">{recommendation.summary}</p>
          <ul className="space-y-2 text-sm">
            {recommendation.reasons.map((reason) => (
              <li key={reason.text} data-testid="guide-reason" className="space-y-0.5">
                <p>{reason.text}</p>
                {"scenario" in reason ? (
                  <Link
                    href={`/dashboard#scenario-${reason.scenario}`}
                    className="text-sky-700 underline underline-offset-4 dark:text-sky-400"
                  >
                    See it: {scenarioLabel(reason.scenario)}
                  </Link>
                ) : (
                  <a href={reason.href} className="text-sky-700 underline underline-offset-4 dark:text-sky-400">
                    See it: {reason.label}
                  </a>
                )}
              </li>
            ))}
          </ul>
          <div className="space-y-1 border-t border-zinc-300 pt-3 text-sm dark:border-zinc-700">
            <h4 className="font-medium">
              Built as, among the{" "}
              <Link href="/lab" className="text-sky-700 underline underline-offset-4 dark:text-sky-400">
                lab&apos;s designs
              </Link>
            </h4>
            <ul className="space-y-1" data-testid="guide-designs">
              {recommendation.designs.map((pick) => (
                <li key={pick.strategy}>
                  <span className="font-mono font-medium">{pick.strategy}</span>: {pick.why}
                </li>
              ))}
            </ul>
          </div>
        </section>
      ) : null}
    </div>
  );
}
