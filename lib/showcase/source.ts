// Source files the /docs page links to, read from the checkout the server
// runs in. Only the project's own code is viewable: a strict path shape, no
// "..", nothing generated, never data/ (where the demo's secrets live).
import { readFileSync } from "node:fs";
import path from "node:path";

const VIEWABLE =
  /^(lib|app|components|prisma|scripts|bench|e2e|resource-server|client)\/[A-Za-z0-9_.\-/[\]]+\.(ts|tsx|prisma)$/;

export function isViewableSource(file: string): boolean {
  return VIEWABLE.test(file) && !file.split("/").some((part) => part === ".." || part === "." || part === "generated");
}

export function readSource(file: string): string | null {
  if (!isViewableSource(file)) return null;
  try {
    // The ignore marks the call Turbopack traces: without it, every file of
    // the project would be copied into the build's server output.
    return readFileSync(path.join(/*turbopackIgnore: true*/ process.cwd(), file), "utf8");
  } catch {
    return null;
  }
}

// The line where a function, class, type or constant is declared.
export function symbolLine(source: string, symbol: string): number | null {
  const declaration = new RegExp(
    `^\\s*(export\\s+)?(async\\s+)?(function|const|let|class|type)\\s+${symbol.replace(/[^\w$]/g, "")}\\b`,
  );
  const index = source.split("\n").findIndex((line) => declaration.test(line));
  return index === -1 ? null : index + 1;
}
