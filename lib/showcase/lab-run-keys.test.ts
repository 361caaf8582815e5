import { describe, expect, it } from "vitest";
import { armRunSignIn, disarmRunSignIn, runSignInUser } from "./lab-run-keys";

const user = { id: "u1", email: "visitor@sandbox.invalid", credentialVersion: 3 };

describe("a lab run's sign-in key", () => {
  it("stands for its account while armed, and for nobody once disarmed or expired", () => {
    const now = Date.now();
    const key = armRunSignIn(user, now);
    expect(key).toMatch(/^[\w-]{43}$/);
    expect(runSignInUser(key, now)).toEqual(user);
    expect(runSignInUser(key, now + 16 * 60_000)).toBeNull();
    disarmRunSignIn(key);
    expect(runSignInUser(key, now)).toBeNull();
  });

  it("no key, or one never armed, is nobody", () => {
    expect(runSignInUser(null)).toBeNull();
    expect(runSignInUser("made-up")).toBeNull();
  });
});
