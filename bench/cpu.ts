// CPU time a server spent, read from the kernel (Linux /proc): the sum of
// user and system time of every process in its process group (the server
// entry and whatever it started), so a route's cost per request is its CPU
// time over its requests, whatever the machine does meanwhile. Elsewhere
// (no /proc), null: the bench then reports none.
import { readdirSync, readFileSync } from "node:fs";

// Clock ticks per second of /proc's times (sysconf(_SC_CLK_TCK)): 100 on
// every Linux that runs Node, which has no call to ask.
const TICKS_PER_SECOND = 100;

export function processGroupCpuMs(pgid: number): number | null {
  let names: string[];
  try {
    names = readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  } catch {
    return null;
  }
  let ticks = 0;
  for (const pid of names) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    } catch {
      continue; // gone meanwhile
    }
    // After the command name (in parentheses, which may contain spaces):
    // state, ppid, pgrp, … utime is field 14, stime 15 (proc(5)).
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(fields[2]) !== pgid) continue;
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return (ticks * 1000) / TICKS_PER_SECOND;
}
