// Every checklist item on /docs links to the line that implements it
// (app/docs/page.tsx: code={[file, symbol]}). A file moved or a function
// renamed without its link would silently link to nothing; this fails first.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readSource, symbolLine } from "@/lib/showcase/source";

const page = readFileSync("app/docs/page.tsx", "utf8");
const links = [...page.matchAll(/code=\{\["([^"]+)", "([^"]+)"\]\}/g)].map((match) => ({
  file: match[1]!,
  symbol: match[2]!,
}));

describe("/docs checklist links", () => {
  it("are there", () => {
    expect(links.length).toBeGreaterThan(15);
  });

  it.each(links)("$file declares $symbol", ({ file, symbol }) => {
    const source = readSource(file);
    expect(source, `${file} is not viewable or does not exist`).not.toBeNull();
    expect(symbolLine(source!, symbol), `${symbol} is not declared in ${file}`).not.toBeNull();
  });
});
