// Every checklist item on /docs links to the line that implements it
// (app/docs/page.tsx: code={[file, symbol]}). A file moved or a function
// renamed without its link would silently link to nothing; this fails first.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readSource, symbolLine } from "@/lib/showcase/source";
import { hasTestTitle } from "./test-titles";

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

// The claims section of /docs links to source files that show each claim.
describe("/docs claim links", () => {
  const claims = readFileSync("components/SeedClaims.tsx", "utf8");
  const files = [...claims.matchAll(/href: "\/docs\/code\/([^"]+)"/g)].map((match) => match[1]!);

  it("are there", () => {
    expect(files.length).toBeGreaterThan(3);
  });

  it.each(files)("%s is viewable", (file) => {
    expect(readSource(file), `${file} is not viewable or does not exist`).not.toBeNull();
  });
});

// The README and the reference name files in backticks (`lib/auth/session.ts`);
// each must exist. decisions.md is left out: it is a history, and names
// files as they were when each decision was made.
describe("file paths named in the README and docs/", () => {
  const documents = ["README.md", ...readdirSync("docs").map((name) => `docs/${name}`)].filter(
    (file) => file.endsWith(".md") && file !== "docs/decisions.md",
  );
  const named = documents.flatMap((document) =>
    [
      ...readFileSync(document, "utf8").matchAll(
        /`((?:lib|app|components|e2e|scripts|bench|deploy|prisma|tests|docs|resource-server|client)\/[\w./[\]-]+\.\w+)`/g,
      ),
    ].map((match) => ({ document, file: match[1]! })),
  );

  it("are there", () => {
    expect(named.length).toBeGreaterThan(50);
  });

  it("exist", () => {
    expect(named.filter(({ file }) => !existsSync(file)).map(({ document, file }) => `${document}: ${file}`)).toEqual(
      [],
    );
  });
});

// docs/testing.md points at a fixture (`e2e/fixtures/x.ts` (`name`)) or at
// a test (`e2e/…spec.ts` "title") for each pattern; each must exist, or the
// guide would send a reader to nothing.
describe("docs/testing.md", () => {
  const text = readFileSync("docs/testing.md", "utf8").replace(/\s+/g, " ");
  const fixtures = [...text.matchAll(/`(e2e\/fixtures\/[\w.-]+\.ts)` \(`(\w+)`\)/g)].map((m) => ({
    file: m[1]!,
    name: m[2]!,
  }));
  const tests = [...text.matchAll(/`(e2e\/[\w/.-]+\.spec\.ts)` "([^"]+)"/g)].map((m) => ({
    file: m[1]!,
    title: m[2]!,
  }));

  it("names fixtures and tests", () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(8);
    expect(tests.length).toBeGreaterThanOrEqual(8);
  });

  it.each(fixtures)("$file defines $name", ({ file, name }) => {
    const source = readFileSync(file, "utf8");
    expect(source).toMatch(new RegExp(`(^|\\n)\\s+${name}: (\\[|async)|export (async )?function ${name}\\b`));
  });

  it.each(tests)("$file has a test $title", ({ file, title }) => {
    // Titles are wrapped in the guide, and may be in the spec.
    expect(hasTestTitle(readFileSync(file, "utf8").replace(/\s+/g, " "), title), title).toBe(true);
  });
});
