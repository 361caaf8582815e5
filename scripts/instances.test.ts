import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { needsBuild } from "@/scripts/instances";

function project(): string {
  const root = mkdtempSync(path.join(tmpdir(), "svj-build-"));
  mkdirSync(path.join(root, "lib/auth"), { recursive: true });
  writeFileSync(path.join(root, "lib/auth/session.ts"), "");
  writeFileSync(path.join(root, "package-lock.json"), "{}");
  return root;
}

function touch(file: string, secondsAgo: number): void {
  const at = new Date(Date.now() - secondsAgo * 1000);
  utimesSync(file, at, at);
}

describe("npm run demo, bench, cluster and test build only when needed", () => {
  it("builds when there is no build", () => {
    expect(needsBuild(project())).toBe(true);
  });

  it("reuses a build newer than every source", () => {
    const root = project();
    touch(path.join(root, "lib/auth/session.ts"), 60);
    touch(path.join(root, "package-lock.json"), 60);
    mkdirSync(path.join(root, ".next"));
    writeFileSync(path.join(root, ".next/BUILD_ID"), "x");
    expect(needsBuild(root)).toBe(false);
  });

  it("rebuilds when a source file deep in a source folder changed after the build", () => {
    const root = project();
    mkdirSync(path.join(root, ".next"));
    writeFileSync(path.join(root, ".next/BUILD_ID"), "x");
    touch(path.join(root, ".next/BUILD_ID"), 60);
    touch(path.join(root, "package-lock.json"), 120);
    expect(needsBuild(root)).toBe(true);
  });
});
