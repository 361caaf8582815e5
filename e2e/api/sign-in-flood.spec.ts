import { expect, test } from "../fixtures";
import { PASSWORD, uniqueEmail } from "../helpers";
import { requestFrom } from "../from-address";
import { useOwnServer } from "../own-server";

// Sign-in for everyone must survive one network's flood. Found by the third
// security review: 8 addresses of one /24 × 3 connections sending sign-ins
// with random emails got 1,395 × 503 (a full bcrypt queue, given back to
// the throttle each time) while a victim in another /24 got 6 of 8 sign-ins
// answered 503 and the other two in 21 s and 22 s. Now the queue is shared
// fairly between networks (lib/auth/fair-queue.ts), a busy refusal counts
// against its sender, and failures per network are a rate that refills
// (lib/auth/rate-limit.ts). Target: at least 7 of 8 of the victim's
// sign-ins succeed within 3 s. The server runs the default limits, queue
// and bcrypt cost (12), as a deployment would.
const FLOOD = Array.from({ length: 8 }, (_, i) => `127.0.0.${20 + i}`);
const CONNECTIONS_PER_ADDRESS = 3;
const VICTIM = "127.0.7.1";
const VICTIM_SIGN_INS = 8;

test.describe("a sign-in flood from one network", { tag: ["@once", "@serial"] }, () => {
  const server = useOwnServer("sign-in-flood", 16, {
    BCRYPT_COST: "12",
    // The defaults (the shared test servers raise them out of the way).
    THROTTLE_IP_FREE_FAILURES: "",
    THROTTLE_SIGNIN_NETWORK_FREE: "",
    PASSWORD_QUEUE_LIMIT: "",
  });

  test("does not keep another network's sign-ins out: 7 of 8 or more within 3 s", async () => {
    test.setTimeout(180_000);
    const victim = { email: uniqueEmail("victim"), password: PASSWORD };
    expect((await requestFrom(VICTIM, `${server.url}/api/auth/register`, { body: victim })).status).toBe(201);

    const flood: Record<number, number> = {};
    let stop = false;
    const attacker = async (from: string) => {
      while (!stop) {
        const answer = await requestFrom(from, `${server.url}/api/auth/token`, {
          body: { email: uniqueEmail("nobody"), password: "a wrong password" },
        });
        flood[answer.status] = (flood[answer.status] ?? 0) + 1;
      }
    };
    const attackers = FLOOD.flatMap((from) => Array.from({ length: CONNECTIONS_PER_ADDRESS }, () => attacker(from)));
    // The flood first fills the queue and runs into the limits.
    await expect.poll(() => (flood[503] ?? 0) + (flood[429] ?? 0), { timeout: 30_000 }).toBeGreaterThan(0);

    const signIns: { status: number; seconds: number }[] = [];
    for (let i = 0; i < VICTIM_SIGN_INS; i++) {
      const started = performance.now();
      const answer = await requestFrom(VICTIM, `${server.url}/api/auth/token`, { body: victim });
      signIns.push({ status: answer.status, seconds: (performance.now() - started) / 1000 });
    }
    stop = true;
    await Promise.all(attackers);

    const inTime = signIns.filter(({ status, seconds }) => status === 200 && seconds <= 3);
    console.log(
      `sign-in flood: flood answers ${JSON.stringify(flood)}; victim ${signIns
        .map(({ status, seconds }) => `${status} in ${seconds.toFixed(2)} s`)
        .join(", ")}`,
    );
    // The flood was a flood, and was answered without a server error.
    expect(Object.values(flood).reduce((a, b) => a + b, 0)).toBeGreaterThan(200);
    expect(Object.keys(flood).every((status) => ["401", "429", "503"].includes(status))).toBe(true);
    expect(inTime.length).toBeGreaterThanOrEqual(7);
  });
});
