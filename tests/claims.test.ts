// docs/claims.md names, for every documented claim, the tests that prove it, by
// file and title. A test renamed or moved without its row fails here, so
// the table cannot quietly point at nothing.
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { hasTestTitle } from "./test-titles";

const rows = readFileSync("docs/claims.md", "utf8")
  .split("\n")
  .filter((line) => /^\| [A-Z]\d+[a-z]? \|/.test(line))
  .map((line) => {
    const [id, claim, tests, status] = line
      .slice(2, -2)
      .split(" | ")
      .map((cell) => cell.trim());
    return { id: id!, claim: claim!, tests: tests!, status: status! };
  });

// Each `path` in the cell, with the quoted titles that follow it (up to the next path).
function citations(cell: string): { file: string; titles: string[] }[] {
  const parts = cell.split(/`([\w./-]+\.(?:ts|sh|md|json|conf)|\.ci\/run)`/);
  const found: { file: string; titles: string[] }[] = [];
  for (let i = 1; i < parts.length; i += 2) {
    const titles = [...parts[i + 1]!.matchAll(/"((?:[^"\\]|\\.)+)"/g)].map((match) => match[1]!);
    found.push({ file: parts[i]!, titles });
  }
  return found;
}

describe("docs/claims.md", () => {
  it("has a row for every claim, each with a known status", () => {
    expect(rows.length).toBeGreaterThan(200);
    const statuses = new Set(["proved", "proved (CI)", "bench", "partly", "harness", "code", "limit", "reasoning"]);
    for (const row of rows) expect(statuses, `${row.id}: ${row.status}`).toContain(row.status);
    expect(new Set(rows.map((row) => row.id)).size).toBe(rows.length);
  });

  it("names only files that exist and test titles that are in them", () => {
    const missing: string[] = [];
    for (const row of rows) {
      for (const { file, titles } of citations(row.tests)) {
        if (!existsSync(file)) {
          missing.push(`${row.id}: ${file} does not exist`);
          continue;
        }
        const source = readFileSync(file, "utf8");
        for (const title of titles) {
          const plain = title.replace(/\\"/g, '"');
          if (!hasTestTitle(source, plain)) missing.push(`${row.id}: "${plain}" is not in ${file}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it("every proved claim names at least one file that proves it", () => {
    const unproved = rows.filter((row) => row.status.startsWith("proved") && citations(row.tests).length === 0);
    expect(unproved.map((row) => row.id)).toEqual([]);
  });
});
