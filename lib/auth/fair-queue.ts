// A bounded queue served in turns: by network first, then by address within
// a network, one job per turn, to whoever was served longest ago. One network that sends a flood
// fills at most its share of the queue, and every other network's next job
// is served after at most one of the flood's, so its sign-in waits about a
// job or two however large the flood is. A single queue in arrival order
// would make it wait behind all of them, or refuse it as full.
import type { ClientShare } from "@/lib/auth/client-networks";
import { LruCache } from "@/lib/lru";

export type Shares = {
  // Jobs waiting in all.
  total: number;
  // Jobs one network may have waiting.
  network: number;
  // Jobs one address may have waiting (within its network's share).
  address: number;
};

// Half the queue per network, half of that per address (at least one each),
// so at least two networks always fit and one address cannot fill its
// network's share alone.
export function sharesOf(total: number): Shares {
  const network = Math.max(1, Math.floor(total / 2));
  return { total, network, address: Math.max(1, Math.floor(network / 2)) };
}

// Its own turn, apart from every client's (client networks are never empty).
const SERVER: ClientShare = { network: "", address: "" };

// How many networks (and addresses) the queue remembers having served;
// one forgotten counts as never served, which only moves it forward.
const REMEMBERED = 4096;

export class FairQueue<T> {
  private readonly networks = new Map<string, Map<string, T[]>>();
  // When each network, and each address, was last served (a counter).
  private readonly lastServed = new LruCache<string, number>(REMEMBERED);
  private turn = 0;
  private waiting = 0;

  constructor(private readonly shares: () => Shares) {}

  get size(): number {
    return this.waiting;
  }

  private count(owner: ClientShare): { network: number; address: number } {
    const addresses = this.networks.get(owner.network);
    let network = 0;
    for (const jobs of addresses?.values() ?? []) network += jobs.length;
    return { network, address: addresses?.get(owner.address)?.length ?? 0 };
  }

  // False when the queue, the owner's network's share or its address's
  // share is full: the job is refused, not queued. `null`: the server's own
  // work (a handful of jobs at start), bounded by the total only.
  push(client: ClientShare | null, job: T): boolean {
    const shares = this.shares();
    const owner = client ?? SERVER;
    const held = this.count(owner);
    const full = client && (held.network >= shares.network || held.address >= shares.address);
    if (this.waiting >= shares.total || full) return false;
    let addresses = this.networks.get(owner.network);
    if (!addresses) this.networks.set(owner.network, (addresses = new Map()));
    let jobs = addresses.get(owner.address);
    if (!jobs) addresses.set(owner.address, (jobs = []));
    jobs.push(job);
    this.waiting++;
    return true;
  }

  // A job of this owner's that went straight to work without waiting (an
  // idle worker, a free turn): it counts as their turn all the same.
  served(client: ClientShare | null): void {
    const owner = client ?? SERVER;
    this.turn++;
    this.lastServed.set(`n:${owner.network}`, this.turn);
    this.lastServed.set(`a:${owner.network}|${owner.address}`, this.turn);
  }

  // The next job: of the network served longest ago (never served first,
  // then in arrival order), its address served longest ago, its oldest job.
  shift(): T | undefined {
    const network = this.longestAgo(this.networks.keys(), (key) => `n:${key}`);
    if (network === undefined) return undefined;
    const addresses = this.networks.get(network)!;
    const address = this.longestAgo(addresses.keys(), (key) => `a:${network}|${key}`)!;
    const jobs = addresses.get(address)!;
    const job = jobs.shift()!;
    this.waiting--;
    if (jobs.length === 0) addresses.delete(address);
    if (addresses.size === 0) this.networks.delete(network);
    this.served({ network, address });
    return job;
  }

  private longestAgo(keys: Iterable<string>, name: (key: string) => string): string | undefined {
    let best: string | undefined;
    let bestTurn = Infinity;
    for (const key of keys) {
      const turn = this.lastServed.has(name(key)) ? this.lastServed.peek(name(key))! : -1;
      if (turn < bestTurn) [best, bestTurn] = [key, turn];
    }
    return best;
  }
}
