import bcrypt from "bcryptjs";
import { describe, expect, it } from "vitest";
import {
  bcryptCompare,
  bcryptHash,
  passwordQueueLimit,
  passwordWorkerCount,
  PasswordWorkBusy,
} from "@/lib/auth/bcrypt-pool";

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

  it("refuses at once what does not fit in the bounded queue", async () => {
    const jobs = passwordWorkerCount() + passwordQueueLimit() + 3;
    const settled = await Promise.allSettled(Array.from({ length: jobs }, (_, i) => bcryptHash(`flood-${i}`, 8)));
    const refused = settled.filter((s) => s.status === "rejected");
    expect(refused).toHaveLength(3);
    for (const r of refused) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(PasswordWorkBusy);
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
