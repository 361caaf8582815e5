// A bounded queue served in turns: by network first, then by address within
// a network, one job per turn (round-robin). One network that sends a flood
// fills at most its share of the queue, and every other network's next job
// is served after at most one of the flood's, so its sign-in waits about a
// job or two however large the flood is. A single queue in arrival order
// would make it wait behind all of them, or refuse it as full.
import type { ClientShare } from "@/lib/auth/client-networks";

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

export class FairQueue<T> {
  // Insertion order is the order of turns: a network (or address) that has
  // had its turn goes to the back.
  private readonly networks = new Map<string, Map<string, T[]>>();
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

  // The next job: the first network's first address's oldest job; then
  // both go to the back of their turns (or leave, when they have no more).
  shift(): T | undefined {
    const [network, addresses] = this.networks.entries().next().value ?? [];
    if (network === undefined || !addresses) return undefined;
    const [address, jobs] = addresses.entries().next().value!;
    const job = jobs.shift()!;
    this.waiting--;
    addresses.delete(address);
    if (jobs.length > 0) addresses.set(address, jobs);
    this.networks.delete(network);
    if (addresses.size > 0) this.networks.set(network, addresses);
    return job;
  }
}
