// bcrypt off the request thread. bcryptjs is plain JavaScript: one cost-12
// hash holds a thread for ~0.4 s here, and its async API only cuts that into
// 100 ms slices, so every request queued behind a sign-in waited for it.
// The work runs in worker threads instead, at a lower scheduling priority,
// so on a busy machine requests that are already signed in go first and a
// burst of sign-ins cannot push their latency up (`npm run bench`: storm).
// Jobs wait in two bounded queues (PASSWORD_QUEUE_LIMIT each): past it a job
// is refused at once (PasswordWorkBusy, answered 503 + Retry-After) instead
// of waiting behind an unbounded backlog. Comparisons (sign-ins) have their
// own queue and are served before hashes (registrations, password changes),
// so a registration flood can neither fill the sign-ins' queue nor delay a
// sign-in by more than the hashes already running. Each queue is shared
// fairly between networks, then addresses (lib/auth/fair-queue.ts): a flood
// from one network fills only its share, and others are served in turn.
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { ClientShare } from "@/lib/auth/client-networks";
import { FairQueue, sharesOf } from "@/lib/auth/fair-queue";
import { config } from "@/lib/config";

// Linux nice value for the worker threads (per thread on Linux). Ten puts a
// sign-in well behind request handling on a saturated core without starving it.
const WORKER_NICE = 10;

// Plain CommonJS evaluated in the worker, so it needs no bundling.
const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
const bcrypt = require("bcryptjs");
try {
  const tid = Number(require("node:fs").readlinkSync("/proc/thread-self").split("/").pop());
  require("node:os").setPriority(tid, ${WORKER_NICE});
} catch {}
parentPort.on("message", (job) => {
  try {
    const value = job.op === "hash" ? bcrypt.hashSync(job.password, job.cost) : bcrypt.compareSync(job.password, job.hash);
    parentPort.postMessage({ value });
  } catch (error) {
    parentPort.postMessage({ error: String((error && error.message) || error) });
  }
});
`;

type Job = { op: "hash"; password: string; cost: number } | { op: "compare"; password: string; hash: string };
type Pending = { job: Job; resolve: (value: string | boolean) => void; reject: (error: Error) => void };

export class PasswordWorkBusy extends Error {
  override name = "PasswordWorkBusy";
  constructor() {
    super("Every password worker is busy and the queue is full.");
  }
}

const idle: PasswordWorker[] = [];
const workers = new Set<PasswordWorker>();

export function passwordWorkerCount(): number {
  return config().passwordWorkers ?? Math.max(1, availableParallelism() - 1);
}

// Four waiting jobs of each kind per worker by default: at cost 12 (~0.4 s a
// job) no sign-in waits more than about two seconds for its turn, and with
// the fair shares a network's next job waits behind at most one of each
// other network's.
export function passwordQueueLimit(): number {
  return config().passwordQueueLimit ?? 4 * passwordWorkerCount();
}

const shares = () => sharesOf(passwordQueueLimit());
const waiting: Record<Job["op"], FairQueue<Pending>> = { compare: new FairQueue(shares), hash: new FairQueue(shares) };
const queued = () => waiting.compare.size + waiting.hash.size;
const nextWaiting = () => waiting.compare.shift() ?? waiting.hash.shift();

// An idle worker is unref'd, so it never keeps a process alive by itself.
class PasswordWorker {
  private current: Pending | null = null;
  private readonly thread = new Worker(WORKER_SOURCE, { eval: true });

  constructor() {
    workers.add(this);
    this.thread.on("message", (message: { value?: string | boolean; error?: string }) => {
      const done = this.current!;
      this.current = null;
      if (message.error !== undefined) done.reject(new Error(`bcrypt: ${message.error}`));
      else done.resolve(message.value!);
      this.takeNext();
    });
    // A worker that dies takes only its own job with it.
    this.thread.on("error", (error) => {
      this.current?.reject(error);
      this.current = null;
    });
    this.thread.on("exit", (code) => {
      this.current?.reject(new Error(`bcrypt worker exited (code ${code})`));
      this.current = null;
      workers.delete(this);
      if (idle.includes(this)) idle.splice(idle.indexOf(this), 1);
      if (queued() > 0) new PasswordWorker().takeNext();
    });
  }

  give(pending: Pending): void {
    this.current = pending;
    this.thread.ref();
    this.thread.postMessage(pending.job);
  }

  takeNext(): void {
    const pending = nextWaiting();
    if (pending) return this.give(pending);
    this.thread.unref();
    idle.push(this);
  }
}

function run(job: Job, owner: ClientShare | null): Promise<string | boolean> {
  return new Promise((resolve, reject) => {
    const pending = { job, resolve, reject };
    const worker = idle.pop();
    if (worker) {
      waiting[job.op].served(owner);
      return worker.give(pending);
    }
    if (!waiting[job.op].push(owner, pending)) return reject(new PasswordWorkBusy());
    if (workers.size < passwordWorkerCount()) new PasswordWorker().takeNext();
  });
}

// `owner`: whose request it is, for the fair shares; null for the server's
// own work (the seed, the dummy hash).
export async function bcryptHash(password: string, cost: number, owner: ClientShare | null = null): Promise<string> {
  return (await run({ op: "hash", password, cost }, owner)) as string;
}

export async function bcryptCompare(
  password: string,
  hash: string,
  owner: ClientShare | null = null,
): Promise<boolean> {
  return (await run({ op: "compare", password, hash }, owner)) as boolean;
}
