import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { readSource } from "@/lib/showcase/source";

type Params = { params: Promise<{ path: string[] }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  return { title: (await params).path.join("/") };
}

// One source file of this project, with line anchors (#L12) for /docs.
export default async function SourcePage({ params }: Params) {
  const file = (await params).path.map(decodeURIComponent).join("/");
  const source = readSource(file);
  if (source === null) notFound();
  const lines = source.split("\n");
  return (
    <article className="space-y-4">
      <header className="flex flex-wrap items-baseline justify-between gap-2">
        <h1 className="font-mono text-lg font-semibold" data-testid="source-path">
          {file}
        </h1>
        <Link href="/docs" className="text-sm text-sky-700 underline underline-offset-4 dark:text-sky-400">
          Back to the docs
        </Link>
      </header>
      {/* Focusable, so a keyboard can scroll the wide lines too. */}
      <div
        tabIndex={0}
        role="region"
        aria-label={file}
        className="relative overflow-x-auto rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900"
      >
        <pre className="py-3 text-xs leading-5">
          <code>
            {lines.map((line, index) => (
              <span
                key={index}
                id={`L${index + 1}`}
                className="block px-4 target:bg-amber-100 dark:target:bg-amber-900/40"
              >
                <span
                  aria-hidden
                  className="mr-4 inline-block w-8 select-none text-right text-zinc-500 dark:text-zinc-400"
                >
                  {index + 1}
                </span>
                {line || " "}
              </span>
            ))}
          </code>
        </pre>
      </div>
    </article>
  );
}
