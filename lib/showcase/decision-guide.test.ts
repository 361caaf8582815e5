import { describe, expect, it } from "vitest";
import { QUESTIONS, readAnswers, recommend, type Answers } from "./decision-guide";
import { SCENARIO_CATALOG } from "./scenario-catalog";
import { readSource } from "./source";

const base: Answers = { app: "site", services: "no", clients: "no", revocation: "next", store: "yes" };

describe("the decision guide", () => {
  it("reads a complete, valid set of answers only", () => {
    expect(readAnswers({ ...base })).toEqual(base);
    expect(readAnswers({ ...base, store: undefined })).toBeNull();
    expect(readAnswers({ ...base, app: "mainframe" })).toBeNull();
    expect(readAnswers({ ...base, app: ["site", "api"] })).toBeNull();
  });

  it("recommends sessions for a site with no other services or clients", () => {
    const { choice, reasons } = recommend(base);
    expect(choice).toBe("session");
    const shown = reasons.map((reason) => ("scenario" in reason ? reason.scenario : reason.href));
    expect(shown).toEqual(["script-read", "csrf", "revoke-replay", "/docs/code/e2e/cluster/chaos.spec.ts"]);
  });

  it("recommends both when a site also serves other services or non-browser clients", () => {
    for (const extra of [{ services: "yes" }, { clients: "yes" }] as const) {
      const { choice, reasons } = recommend({ ...base, ...extra });
      expect(choice).toBe("both");
      // The browser's reasons and the tokens' reasons.
      const shown = reasons.map((reason) => ("scenario" in reason ? reason.scenario : reason.href));
      expect(shown).toContain("script-read");
      expect(shown).toContain(extra.services ? "key-rotation" : "/docs/code/client/cli.ts");
    }
  });

  it("recommends JWTs for an API on other origins, and names the cost of fast revocation", () => {
    const fast = recommend({ ...base, app: "api" });
    expect(fast.choice).toBe("jwt");
    expect(
      fast.reasons.find((reason) => "scenario" in reason && reason.scenario === "sign-out-everywhere")?.text,
    ).toMatch(/denylist/);
    const slow = recommend({ ...base, app: "api", revocation: "minutes" });
    expect(slow.reasons.some((reason) => "scenario" in reason && reason.scenario === "stolen-replay")).toBe(true);
    expect(slow.reasons.some((reason) => "scenario" in reason && reason.scenario === "sign-out-everywhere")).toBe(
      false,
    );
  });

  it("without a shared store, says what each mechanism then lacks", () => {
    const session = recommend({ ...base, store: "no" });
    expect(session.reasons.at(-1)).toMatchObject({ scenario: "db-down", text: expect.stringMatching(/one instance/) });
    const jwt = recommend({ ...base, app: "api", revocation: "minutes", store: "no" });
    expect(jwt.reasons.at(-1)).toMatchObject({ scenario: "db-down", text: expect.stringMatching(/sign-in, refresh/) });
    // Both mechanisms, both gaps.
    const both = recommend({ ...base, services: "yes", revocation: "minutes", store: "no" });
    expect(both.reasons.filter((reason) => "scenario" in reason && reason.scenario === "db-down")).toHaveLength(2);
  });

  it("says when two answers cannot both hold, instead of recommending both", () => {
    const { reasons } = recommend({ ...base, app: "api", revocation: "next", store: "no" });
    expect(reasons.some((reason) => reason.text.startsWith("These two answers cannot both hold"))).toBe(true);
    // Not the denylist advice, which needs the store there is not.
    expect(reasons.some((reason) => "scenario" in reason && reason.scenario === "sign-out-everywhere")).toBe(false);
  });

  it("links every reason of every combination to a scenario that exists, or to a page", () => {
    const names: string[] = SCENARIO_CATALOG.map((entry) => entry.name);
    const combinations = QUESTIONS.reduce<Record<string, string>[]>(
      (all, { id, options }) => all.flatMap((partial) => options.map(([value]) => ({ ...partial, [id]: value }))),
      [{}],
    );
    expect(combinations).toHaveLength(32);
    for (const answers of combinations) {
      const { reasons } = recommend(readAnswers(answers)!);
      expect(reasons.length).toBeGreaterThanOrEqual(3);
      for (const reason of reasons) {
        if ("scenario" in reason) expect(names).toContain(reason.scenario);
        else expect(readSource(reason.href.replace("/docs/code/", "")), reason.href).not.toBeNull();
      }
    }
  });

  it("names the lab's designs to build it with, narrowed by the same answers", () => {
    const designs = (answers: Answers) => recommend(answers).designs.map((pick) => pick.strategy);
    expect(designs(base)).toEqual(["server-session"]);
    expect(designs({ ...base, revocation: "minutes" })).toEqual(["server-session", "cookie-cache"]);
    expect(designs({ ...base, store: "no", revocation: "minutes" })).toEqual(["sealed-cookie"]);
    expect(designs({ ...base, store: "no" })).toEqual(["sealed-cookie-stamp"]);
    // A site calling other services as the user: the backend-for-frontend first.
    expect(designs({ ...base, services: "yes" })).toEqual(["bff", "server-session", "bearer-jwt"]);
    expect(designs({ ...base, app: "api" })).toEqual(["bearer-jwt", "opaque-bearer"]);
    expect(designs({ ...base, app: "api", services: "yes" })).toEqual(["bearer-jwt"]);
  });
});
