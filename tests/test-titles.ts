// Whether a source file has a test of this title: written out in quotes, or
// as a template literal (`a page … ${kind}, …`), which matches any filling.
// The documentation cites tests by title (docs/claims.md, docs/testing.md),
// and both checks use this one reading.
export function hasTestTitle(source: string, title: string): boolean {
  if (source.includes(title)) return true;
  return [...source.matchAll(/`([^`]*\$\{[^`]*)`/g)].some((match) =>
    new RegExp(
      `^${match[1]!
        .split(/\$\{[^}]*\}/)
        .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
        .join(".+")}$`,
    ).test(title),
  );
}
