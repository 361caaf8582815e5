import bcrypt from "bcryptjs";
import { describe, expect, it } from "vitest";
import { bcryptCompare, bcryptHash, passwordWorkerCount, PasswordWorkBusy } from "@/lib/auth/bcrypt-pool";

// The pool's own bound (the test environment raises it for tests that race
// many sign-ins); read once, at the first job.
process.env.PASSWORD_QUEUE_LIMIT = "4";
// One worker, so "served first" is about the queue, not about two workers racing.
process.env.PASSWORD_WORKERS = "1";

describe("bcrypt worker pool", () => {
  it("hashes and compares like bcryptjs itself", async () => {
    const hash = await bcryptHash("correct horse", 4);
    expect(bcrypt.compareSync("correct horse", hash)).toBe(true);
    expect(await bcryptCompare("correct horse", hash)).toBe(true);
    expect(await bcryptCompare("correct horse!", hash)).toBe(false);
  });

  it("answers every job when more arrive than there are workers", async () => {
    const passwords = Array.from({ length: passwordWorkerCount() * 3 + 1 }, (_, i) => `password-${i}`);
    const hashes = await Promise.all(passwords.map((password) => bcryptHash(password, 4)));
    const checks = await Promise.all(
      passwords.map((password, i) => bcryptCompare(password, hashes[(i + 1) % hashes.length]!)),
    );
    expect(checks.every((match) => match === false)).toBe(true);
    expect(await Promise.all(passwords.map((password, i) => bcryptCompare(password, hashes[i]!)))).toEqual(
      passwords.map(() => true),
    );
  });

  it("rejects a job bcrypt refuses, and keeps working", async () => {
    await expect(bcryptHash("x", "not-a-cost" as unknown as number)).rejects.toThrow(/bcrypt: Invalid salt/);
    expect(await bcryptCompare("x", await bcryptHash("x", 4))).toBe(true);
  });

  it("refuses at once what does not fit: a flood from one network fills only its share", async () => {
    // Limit 4: two waiting jobs per network, one per address.
    const flood = Array.from({ length: passwordWorkerCount() + 6 }, (_, i) =>
      bcryptHash(`flood-${i}`, 8, { network: "198.51.100.0/24", address: `198.51.100.${i % 2}` }),
    );
    const others = ["192.0.2.0/24", "203.0.113.0/24"].map((network) =>
      bcryptHash("someone else", 8, { network, address: network }),
    );
    const [floodSettled, othersSettled] = await Promise.all([Promise.allSettled(flood), Promise.allSettled(others)]);
    const refused = floodSettled.filter((s) => s.status === "rejected");
    expect(refused).toHaveLength(4);
    for (const r of refused) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(PasswordWorkBusy);
    expect(othersSettled.map((s) => s.status)).toEqual(["fulfilled", "fulfilled"]);
  });

  it("serves another network's sign-in after at most one more job of a flood", async () => {
    const hash = await bcryptHash("me", 8);
    const finished: string[] = [];
    const flood = { network: "198.51.100.0/24", address: "198.51.100.7" };
    const running = Array.from({ length: passwordWorkerCount() }, () =>
      bcryptCompare("guess", hash, flood).then(() => finished.push("flood")),
    );
    const waitingFlood = bcryptCompare("guess", hash, { ...flood, address: "198.51.100.8" }).then(() =>
      finished.push("flood"),
    );
    const signIn = bcryptCompare("me", hash, { network: "192.0.2.0/24", address: "192.0.2.1" }).then(() =>
      finished.push("sign-in"),
    );
    await Promise.all([...running, waitingFlood, signIn]);
    expect(finished.indexOf("sign-in")).toBeLessThanOrEqual(passwordWorkerCount() + 1);
  });

  it("serves waiting sign-ins (compares) before waiting hashes", async () => {
    const hash = await bcryptHash("me", 8);
    const finished: string[] = [];
    const busy = Array.from({ length: passwordWorkerCount() }, (_, i) => bcryptHash(`busy-${i}`, 8));
    const registration = bcryptHash("new account", 8).then(() => finished.push("hash"));
    const signIn = bcryptCompare("me", hash).then(() => finished.push("compare"));
    await Promise.all([...busy, registration, signIn]);
    expect(finished).toEqual(["compare", "hash"]);
  });
});
