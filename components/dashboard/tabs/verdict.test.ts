import { describe, expect, test } from "vitest";
import { compare, judge, type ModeRun, type Round } from "./verdict";

const round = (r: Partial<Round>): Round => ({
  requests: 1,
  rotations: 1,
  answeredAgain: 0,
  signedIn: 5,
  revoked: null,
  ...r,
});
const revoked = (r: Partial<Round> = {}) => round({ revoked: "reuse_detected", ...r });
const signedOut = round({ requests: 0, rotations: 0, signedIn: 0, revoked: "reuse_detected" });

describe("each mode's verdict", () => {
  test("on their own without a grace window: revoked as theft in round 1, nobody signed in afterwards", () => {
    const run: ModeRun = {
      mode: "alone-strict",
      openingRequests: 4,
      rounds: [
        revoked({ requests: 5, signedIn: 1 }),
        round({ requests: 1, rotations: 0, signedIn: 0, revoked: "reuse_detected" }),
        signedOut,
        signedOut,
      ],
      after: signedOut,
    };
    expect(judge(run).pass).toBe(true);
    // A race that did not happen (every request in turn) is no demonstration.
    expect(judge({ ...run, rounds: [round({ requests: 5, rotations: 5 }), ...run.rounds.slice(1)] }).pass).toBe(false);
    // Ended for another reason than theft.
    expect(judge({ ...run, rounds: [round({ revoked: "revoked" }), ...run.rounds.slice(1)] }).pass).toBe(false);
    // A tab still signed in after one more refresh.
    expect(judge({ ...run, after: round({ revoked: "reuse_detected", signedIn: 1 }) }).pass).toBe(false);
  });

  test("on their own with the grace window: some races forgiven, then revoked as theft, nobody signed in afterwards", () => {
    const run: ModeRun = {
      mode: "alone-grace",
      openingRequests: 4,
      rounds: [round({ requests: 5, answeredAgain: 4 }), revoked({ requests: 5, signedIn: 1 }), signedOut, signedOut],
      after: signedOut,
    };
    expect(judge(run).pass).toBe(true);
    expect(judge({ ...run, rounds: [round({ requests: 5 }), ...run.rounds.slice(1)] }).pass).toBe(false);
    expect(judge({ ...run, rounds: run.rounds.map((r) => ({ ...r, revoked: null })), after: round({}) }).pass).toBe(
      false,
    );
    expect(judge({ ...run, rounds: [run.rounds[0]!, round({ revoked: "sign_out" }), signedOut, signedOut] }).pass).toBe(
      false,
    );
  });

  test("under the lock: no request opening tabs, one request and rotation per round and afterwards, nobody signed out", () => {
    const run: ModeRun = {
      mode: "locks",
      openingRequests: 0,
      rounds: [round({}), round({}), round({}), round({})],
      after: round({}),
    };
    expect(judge(run).pass).toBe(true);
    expect(judge({ ...run, openingRequests: 1 }).pass).toBe(false);
    expect(judge({ ...run, rounds: [round({ requests: 2, rotations: 2 }), ...run.rounds.slice(1)] }).pass).toBe(false);
    expect(judge({ ...run, rounds: [round({ answeredAgain: 1 }), ...run.rounds.slice(1)] }).pass).toBe(false);
    expect(judge({ ...run, after: round({ signedIn: 4 }) }).pass).toBe(false);
    expect(judge({ ...run, after: revoked() }).pass).toBe(false);
    expect(judge(run).observed).toContain(
      "one more refresh afterwards: 1 request, 1 rotation, 0 answered again, 5 of 5 tabs signed in",
    );
  });
});

test("the comparison puts the three modes side by side", () => {
  const table = compare([
    {
      mode: "alone-strict",
      openingRequests: 4,
      rounds: [revoked({ requests: 5 }), signedOut, signedOut, signedOut],
      after: signedOut,
    },
    { mode: "locks", openingRequests: 0, rounds: [round({}), round({}), round({}), round({})], after: round({}) },
  ]);
  expect(table.head).toEqual(["", "On their own, no grace", "Web Lock"]);
  expect(table.rows).toContainEqual(["Refresh requests in 4 rounds", "5", "4"]);
  expect(table.rows).toContainEqual(["Family revoked", "in round 1", "never"]);
  expect(table.rows).toContainEqual(["Tabs signed in after one more refresh", "0 of 5", "5 of 5"]);
});
