// CPU time a server spent, read from the kernel (Linux /proc): the sum of
// user and system time of every process in its process group (the server
// entry and whatever it started), so a route's cost per request is its CPU
// time over its requests, whatever the machine does meanwhile. Elsewhere
// (no /proc), null: the bench then reports none.
import { readdirSync, readFileSync } from "node:fs";

// Clock ticks per second of /proc's times (sysconf(_SC_CLK_TCK)): 100 on
// every Linux that runs Node, which has no call to ask.
const TICKS_PER_SECOND = 100;

// The CPU time of every process `counts` picks, by its command name and
// process group, and how many it picked; null where /proc cannot be read.
// `withExited`: also the time of its children that have exited (a process
// that exits takes its own times away, and they go to its parent's cutime
// and cstime once the parent has waited for it).
function cpuMsOf(
  counts: (command: string, pgrp: number) => boolean,
  withExited = false,
): { ms: number; processes: number } | null {
  let names: string[];
  try {
    names = readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  } catch {
    return null;
  }
  let ticks = 0;
  let processes = 0;
  for (const pid of names) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    } catch {
      continue; // gone meanwhile
    }
    // pid (command) state ppid pgrp …: utime is field 14, stime 15 (proc(5)).
    // The command may contain spaces and parentheses.
    const command = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (!counts(command, Number(fields[2]))) continue;
    processes++;
    ticks += Number(fields[11]) + Number(fields[12]);
    if (withExited) ticks += Number(fields[13]) + Number(fields[14]);
  }
  return { ms: (ticks * 1000) / TICKS_PER_SECOND, processes };
}

export const processGroupCpuMs = (pgid: number) => cpuMsOf((_, pgrp) => pgrp === pgid)?.ms ?? null;

// A PostgreSQL on this machine: its postmaster and every backend, writer
// and worker it started (all named "postgres"), and the backends that have
// exited (a connection closed during a route), so a route's store cost is
// the server's whole CPU time over the route's load. It includes what other
// clients of that server do meanwhile: the bench's runs are alone on it.
// Null when no PostgreSQL runs here (SQLite, or a server elsewhere).
export function postgresCpuMs(): number | null {
  const postgres = cpuMsOf((command) => command === "postgres", true);
  return postgres && postgres.processes > 0 ? postgres.ms : null;
}

// The store's CPU meter for a database URL: a PostgreSQL on this machine
// (SQLite works inside the server's own process; a server elsewhere cannot
// be read), else none.
export function storeCpuMeter(databaseUrl: string): (() => number | null) | undefined {
  if (!databaseUrl.startsWith("postgres")) return undefined;
  const host = new URL(databaseUrl).hostname;
  return ["localhost", "127.0.0.1", "::1", "[::1]"].includes(host) ? postgresCpuMs : undefined;
}
