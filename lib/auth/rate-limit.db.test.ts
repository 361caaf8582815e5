import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { loadConfig } from "@/lib/config";
import { giveBackRates, takeRates, type RateKey } from "@/lib/auth/rate-limit";
import { registrationKeys } from "@/lib/auth/throttle";

const t0 = Date.now() + 1000;
const rate = (burst: number, intervalMs: number): RateKey => ({
  scope: "network",
  key: `test:${randomUUID()}`,
  policy: { burst, intervalMs },
});

afterAll(() => db().$disconnect());

describe("rates that refill, in the database", () => {
  it("of 30 simultaneous uses from a burst of 5, exactly 5 get through", async () => {
    const key = rate(5, 60_000);
    const answers = await Promise.all(Array.from({ length: 30 }, () => takeRates([key], t0)));
    expect(answers.filter((a) => !a.throttled)).toHaveLength(5);
    expect(answers.filter((a) => a.throttled)).toHaveLength(25);
  });

  it("refills one use per interval, and refusals in between do not push it back", async () => {
    const key = rate(2, 10_000);
    expect((await takeRates([key], t0)).throttled).toBe(false);
    expect((await takeRates([key], t0)).throttled).toBe(false);
    for (const ms of [0, 3000, 6000, 9000])
      expect(await takeRates([key], t0 + ms)).toMatchObject({
        throttled: true,
        retryAfterSeconds: Math.ceil((10_000 - ms) / 1000),
      });
    expect((await takeRates([key], t0 + 10_000)).throttled).toBe(false);
  });

  it("takes from every key or from none; a use given back can be taken again", async () => {
    const roomy = rate(10, 60_000);
    const tight = rate(1, 60_000);
    expect((await takeRates([roomy, tight], t0)).throttled).toBe(false);
    expect(await takeRates([roomy, tight], t0)).toMatchObject({ throttled: true, scope: "network" });
    const roomyRow = await db().rateBucket.findUniqueOrThrow({ where: { key: roomy.key } });
    // One use taken (the refused second attempt gave its use back).
    expect(roomyRow.fullAt).toBe(t0 + 60_000);
    await giveBackRates([tight]);
    expect((await takeRates([tight], t0)).throttled).toBe(false);
  });

  // The third security review: a flood of registrations from one /24 locked
  // every address in it out for up to 15 minutes, growing with each try.
  it("with the default limits, a new address in a flooded /24 can register 60 s after the flood stops", async () => {
    const defaults = loadConfig({ ...process.env, THROTTLE_REGISTER_FREE: "", THROTTLE_REGISTER_NETWORK_FREE: "" });
    const policies = defaults.throttle;
    const network = `10.${Math.floor(Math.random() * 200)}.${Math.floor(Math.random() * 200)}`;
    const keys = (address: number): RateKey[] =>
      registrationKeys({ ip: `${network}.${address}`, userAgent: null }).map((key, i) => ({
        ...key,
        policy: i === 0 ? policies.register : policies.registerNetwork,
      }));
    // The flood: ten addresses, every 5 s, for three minutes.
    let refused = 0;
    let last = t0;
    for (let second = 0; second < 180; second += 5) {
      last = t0 + second * 1000;
      for (let address = 1; address <= 10; address++) if ((await takeRates(keys(address), last)).throttled) refused++;
    }
    expect(refused).toBeGreaterThan(250);
    const after = (ms: number) => takeRates(keys(200), last + ms);
    expect((await after(60_000)).throttled).toBe(false);
  }, 30_000);
});
