import { afterEach, describe, expect, it } from "vitest";
import { databaseGateRefuses, setDatabaseGate } from "@/lib/database-gate";
import {
  armDatabaseOutage,
  disarmDatabaseOutage,
  installSimulatedOutage,
  withSimulatedOutage,
} from "@/lib/showcase/simulated-outage";

describe("the simulated outage", () => {
  afterEach(() => setDatabaseGate(() => false));

  it("refuses the database only inside a request that carries an armed key", async () => {
    installSimulatedOutage();
    const key = armDatabaseOutage();
    expect(withSimulatedOutage(key, () => databaseGateRefuses())).toBe(true);
    // The scope follows the request's async work, and ends with it.
    expect(await withSimulatedOutage(key, async () => (await Promise.resolve(), databaseGateRefuses()))).toBe(true);
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
    expect(withSimulatedOutage(key, () => databaseGateRefuses())).toBe(false);
  });
});
