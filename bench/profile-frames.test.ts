import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { frameTimes, type Profile } from "@/bench/profile-frames";

const frame = (functionName: string, url: string, lineNumber = 0, columnNumber = 0) => ({
  functionName,
  url,
  lineNumber,
  columnNumber,
});

describe("frameTimes", () => {
  // root → handle (the app's) → get (native), parse (Node), handle again
  // (recursion); (idle) beside it.
  const own = `file://${process.cwd()}/lib/auth/x.ts`;
  const profile: Profile = {
    nodes: [
      { id: 1, callFrame: frame("(root)", ""), children: [2, 5] },
      { id: 2, callFrame: frame("handle", own, 9), children: [3, 4, 6] },
      { id: 3, callFrame: frame("get", "") },
      { id: 4, callFrame: frame("parse", "node:internal/x") },
      { id: 5, callFrame: frame("(idle)", "") },
      { id: 6, callFrame: frame("handle", own, 9), children: [] },
    ],
    samples: [2, 3, 3, 4, 5, 6],
    timeDeltas: [10, 20, 20, 5, 100, 7],
  };

  it("gives each function its own time, named by file and line", () => {
    const { self } = frameTimes(profile);
    expect(Object.fromEntries(self)).toEqual({
      "handle lib/auth/x.ts:10": 17,
      get: 40,
      "parse node:internal/x:1": 5,
      "(idle)": 100,
    });
  });

  it("gives the app's own functions what they called too, a recursive call counted once", () => {
    const { ownInclusive } = frameTimes(profile);
    expect(Object.fromEntries(ownInclusive)).toEqual({ "handle lib/auth/x.ts:10": 10 + 40 + 5 + 7 });
  });

  it("names a frame of the build by its place in the repository, through the chunk's source map", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "svj-frames-"));
    const chunk = path.join(dir, ".next", "server", "chunks", "a.js");
    mkdirSync(path.dirname(chunk), { recursive: true });
    writeFileSync(chunk, "function T(){}");
    // Line 0, column 0 of the chunk is line 129 (0-based 128) of the source.
    writeFileSync(
      `${chunk}.map`,
      JSON.stringify({ version: 3, sources: ["../../../lib/auth/session.ts"], names: [], mappings: "AAgIA" }),
    );
    const { self, ownInclusive } = frameTimes({
      nodes: [{ id: 1, callFrame: frame("T", `file://${chunk}`) }],
      samples: [1],
      timeDeltas: [3],
    });
    expect([...self]).toEqual([["lib/auth/session.ts:129", 3]]);
    expect([...ownInclusive]).toEqual([["lib/auth/session.ts:129", 3]]);
  });
});
