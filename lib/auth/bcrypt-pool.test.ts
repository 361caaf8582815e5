import bcrypt from "bcryptjs";
import { describe, expect, it } from "vitest";
import { bcryptCompare, bcryptHash, passwordWorkerCount } from "@/lib/auth/bcrypt-pool";

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
    const checks = await Promise.all(passwords.map((password, i) => bcryptCompare(password, hashes[(i + 1) % hashes.length]!)));
    expect(checks.every((match) => match === false)).toBe(true);
    expect(await Promise.all(passwords.map((password, i) => bcryptCompare(password, hashes[i]!)))).toEqual(passwords.map(() => true));
  });

  it("rejects a job bcrypt refuses, and keeps working", async () => {
    await expect(bcryptHash("x", "not-a-cost" as unknown as number)).rejects.toThrow(/bcrypt: Invalid salt/);
    expect(await bcryptCompare("x", await bcryptHash("x", 4))).toBe(true);
  });
});
