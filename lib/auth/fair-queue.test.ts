import { describe, expect, it } from "vitest";
import { FairQueue, sharesOf } from "@/lib/auth/fair-queue";

const at = (network: string, address = `${network}.1`) => ({ network, address });

describe("the fair queue (bcrypt's waiting jobs)", () => {
  it("gives each network half the queue and each address half of that, at least one", () => {
    expect(sharesOf(4)).toEqual({ total: 4, network: 2, address: 1 });
    expect(sharesOf(8)).toEqual({ total: 8, network: 4, address: 2 });
    expect(sharesOf(1)).toEqual({ total: 1, network: 1, address: 1 });
  });

  it("a flood from one network fills only its share; another network still gets in", () => {
    const queue = new FairQueue<string>(() => sharesOf(8));
    const flood = Array.from({ length: 8 }, (_, i) => queue.push(at("flood", `flood.${i % 3}`), `flood-${i}`));
    // Four for the network, at most two per address.
    expect(flood.filter(Boolean)).toHaveLength(4);
    expect(queue.push(at("victim"), "victim")).toBe(true);
    expect(queue.size).toBe(5);
  });

  it("serves networks in turns, then addresses in turns: a newcomer waits behind at most one job of each other", () => {
    const queue = new FairQueue<string>(() => sharesOf(100));
    for (let i = 0; i < 4; i++) queue.push(at("flood", "flood.a"), `a${i}`);
    for (let i = 0; i < 4; i++) queue.push(at("flood", "flood.b"), `b${i}`);
    queue.push(at("victim"), "victim");
    queue.push(at("other"), "other");
    const order = Array.from({ length: 10 }, () => queue.shift());
    expect(order.slice(0, 3)).toEqual(["a0", "victim", "other"]);
    // Within the flood's network, its two addresses alternate.
    expect(order.slice(3)).toEqual(["b0", "a1", "b1", "a2", "b2", "a3", "b3"]);
    expect(queue.shift()).toBeUndefined();
    expect(queue.size).toBe(0);
  });

  it("refuses past the total, whoever asks", () => {
    const queue = new FairQueue<string>(() => sharesOf(2));
    expect(queue.push(at("a"), "a")).toBe(true);
    expect(queue.push(at("b"), "b")).toBe(true);
    expect(queue.push(at("c"), "c")).toBe(false);
    queue.shift();
    expect(queue.push(at("c"), "c")).toBe(true);
  });
});
