import { describe, expect, it } from "vitest";
import { createTurns } from "@/lib/showcase/turns";

const from = (address: string) => ({ network: address.split(".").slice(0, 3).join("."), address });
const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe("runs that take turns", () => {
  it("never overlap, and serve another network before more of a busy one's", async () => {
    const inTurn = createTurns();
    const order: string[] = [];
    let running = 0;
    const run = (name: string) => async () => {
      running++;
      expect(running).toBe(1);
      await tick();
      order.push(name);
      running--;
    };
    const busy = [1, 2, 3, 4].map((i) => inTurn(from(`198.51.100.${10 + (i % 2)}`), run(`busy-${i}`)));
    const other = inTurn(from("192.0.2.9"), run("other"));
    await Promise.all([...busy, other]);
    // busy-1 was already running: that was its network's turn, so "other"
    // goes next, however many of busy's were waiting before it.
    expect(order.indexOf("other")).toBe(1);
    expect(order).toHaveLength(5);
  });

  it("a run that fails still hands the turn on", async () => {
    const inTurn = createTurns();
    const failed = inTurn(from("192.0.2.1"), async () => {
      throw new Error("boom");
    });
    const next = inTurn(from("192.0.2.2"), async () => "ran");
    await expect(failed).rejects.toThrow("boom");
    expect(await next).toBe("ran");
  });
});
