import { describe, expect, it } from "vitest";
import { isViewableSource, readSource, symbolLine } from "@/lib/showcase/source";

describe("viewable source", () => {
  it("allows the project's own code", () => {
    expect(isViewableSource("lib/auth/jwt.ts")).toBe(true);
    expect(isViewableSource("app/api/sessions/[id]/route.ts")).toBe(true);
    expect(isViewableSource("prisma/models.prisma")).toBe(true);
    expect(isViewableSource("resource-server/verifier.ts")).toBe(true);
    expect(isViewableSource("client/cli.ts")).toBe(true);
    expect(isViewableSource("e2e/cluster/chaos.spec.ts")).toBe(true);
  });

  it.each([
    "../etc/passwd",
    "lib/../data/secrets.json",
    "data/secrets.json",
    "/etc/passwd",
    "lib/./x.ts",
    "prisma/generated/sqlite/client.ts",
    "lib/auth/jwt.ts%00",
    "lib\\auth\\jwt.ts",
    ".env",
    "node_modules/jose/package.json",
    "lib/x.json",
  ])("refuses %s", (file) => {
    expect(isViewableSource(file)).toBe(false);
    expect(readSource(file)).toBeNull();
  });

  it("finds where a symbol is declared", () => {
    const source = readSource("lib/auth/throttle.ts")!;
    const line = symbolLine(source, "reserveAttempt")!;
    expect(source.split("\n")[line - 1]).toContain("export async function reserveAttempt");
    expect(symbolLine(source, "noSuchThing")).toBeNull();
  });
});
