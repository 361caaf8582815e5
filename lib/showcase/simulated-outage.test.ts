import { AsyncLocalStorage } from "node:async_hooks";
import { afterEach, describe, expect, it, vi } from "vitest";
import { databaseGateRefuses, setDatabaseGate } from "@/lib/database-gate";
import {
  armDatabaseOutage,
  disarmDatabaseOutage,
  installSimulatedOutage,
  isOutageScopeOn,
  withSimulatedOutage,
} from "@/lib/showcase/simulated-outage";

// A request that asks the gate, then ends.
function answerThenEnd(end: () => void): boolean {
  try {
    return databaseGateRefuses();
  } finally {
    end();
  }
}

describe("the simulated outage", () => {
  afterEach(() => setDatabaseGate(() => false));

  it("refuses the database only inside a request that carries an armed key", async () => {
    installSimulatedOutage();
    const key = armDatabaseOutage();
    expect(withSimulatedOutage(key, answerThenEnd)).toBe(true);
    // The scope follows the request's async work, and ends with it.
    expect(
      await withSimulatedOutage(key, async (end) => {
        await Promise.resolve();
        const refused = databaseGateRefuses();
        end();
        return refused;
      }),
    ).toBe(true);
    expect(databaseGateRefuses()).toBe(false);
    expect(withSimulatedOutage(undefined, () => databaseGateRefuses())).toBe(false);
    expect(withSimulatedOutage("a key nobody armed", () => databaseGateRefuses())).toBe(false);
    disarmDatabaseOutage(key);
    expect(withSimulatedOutage(key, () => databaseGateRefuses())).toBe(false);
  });

  it("a key expires on its own", () => {
    installSimulatedOutage();
    const key = armDatabaseOutage(Date.now() - 31_000);
    expect(withSimulatedOutage(key, () => databaseGateRefuses())).toBe(false);
  });

  it("until installed, the gate never refuses", () => {
    const key = armDatabaseOutage();
    expect(withSimulatedOutage(key, answerThenEnd)).toBe(false);
  });

  it("is switched off once no outage request is in flight, and on again for the next", async () => {
    installSimulatedOutage();
    const key = armDatabaseOutage();
    const disable = vi.spyOn(AsyncLocalStorage.prototype, "disable");
    let endFirst = () => {};
    const first = withSimulatedOutage(key, async (end) => {
      endFirst = end;
      await new Promise((resolve) => setTimeout(resolve, 5));
      return databaseGateRefuses();
    });
    const second = withSimulatedOutage(key, (end) => (answerThenEnd(end), end(), databaseGateRefuses()));
    // The second request ended (twice: counted once); the first is still in it.
    expect(second).toBe(true);
    expect(isOutageScopeOn()).toBe(true);
    expect(disable).not.toHaveBeenCalled();
    expect(await first).toBe(true);
    endFirst();
    expect(isOutageScopeOn()).toBe(false);
    expect(disable).toHaveBeenCalledTimes(1);
    expect(withSimulatedOutage(undefined, () => databaseGateRefuses())).toBe(false);
    expect(withSimulatedOutage(key, answerThenEnd)).toBe(true);
    expect(isOutageScopeOn()).toBe(false);
    expect(disable).toHaveBeenCalledTimes(2);
    disable.mockRestore();
  });
});
