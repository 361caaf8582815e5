// What a V8 CPU profile (.cpuprofile, as bench/cpu-profile.mjs writes it)
// says per function, for `npm run bench:profile` (bench/profile.ts).
import { existsSync, readFileSync } from "node:fs";
import { SourceMap, type SourceMapping } from "node:module";

type CallFrame = { functionName: string; url: string; lineNumber: number; columnNumber: number };
type Node = { id: number; callFrame: CallFrame; children?: number[] };
export type Profile = { nodes: Node[]; samples: number[]; timeDeltas: number[] };
export type Frames = { self: Map<string, number>; ownInclusive: Map<string, number> };

// The build's chunks are minified; their source maps give each function's
// place in the repository (lib/auth/session.ts:129), so a frame names code
// a reader can open.
const sourceMaps = new Map<string, SourceMap | null>();
function sourceMapOf(file: string): SourceMap | null {
  if (!sourceMaps.has(file)) {
    const map = `${file}.map`;
    sourceMaps.set(file, existsSync(map) ? new SourceMap(JSON.parse(readFileSync(map, "utf8"))) : null);
  }
  return sourceMaps.get(file)!;
}

function frameName({ functionName, url, lineNumber, columnNumber }: CallFrame): string {
  const file = url.replace(/^file:\/\//, "");
  const entry = file.includes("/.next/") ? sourceMapOf(file)?.findEntry(lineNumber, columnNumber) : undefined;
  const original = entry && "originalSource" in entry ? (entry as SourceMapping) : undefined;
  if (original) {
    const source = original.originalSource.replace(/^(\.\.\/)+/, "").replace(/^\[project\]\//, "");
    // The minified name says nothing; the place does.
    return `${source}:${original.originalLine + 1}`;
  }
  const relative = file.replace(`${process.cwd()}/`, "");
  return `${functionName || "(anonymous)"} ${relative ? `${relative}:${lineNumber + 1}` : ""}`.trim();
}

// The app's own code: what the repository holds, not Next or Node.
const OWN_CODE = /(^| )(lib|app|components)\//;

// Per function, in µs: its self time, and for the app's own functions also
// the time with everything they called (each sample counted once per
// function on its stack).
export function frameTimes(profile: Profile): Frames {
  const names = new Map(profile.nodes.map((node) => [node.id, frameName(node.callFrame)]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const self = new Map<string, number>();
  const ownInclusive = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    self.set(names.get(id)!, (self.get(names.get(id)!) ?? 0) + us);
    const seen = new Set<string>();
    for (let node: number | undefined = id; node !== undefined; node = parents.get(node)) {
      const name = names.get(node)!;
      if (!OWN_CODE.test(name) || seen.has(name)) continue;
      seen.add(name);
      ownInclusive.set(name, (ownInclusive.get(name) ?? 0) + us);
    }
  });
  return { self, ownInclusive };
}
