import { readdirSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

/** CPU time in seconds, split into user and kernel (system) time. */
export interface CpuTime {
  user: number;
  system: number;
}

let ticksPerSecond: number | undefined;

function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** The fields of /proc/<pid>/stat after the command name (which may hold spaces). */
function statFields(pid: number): string[] | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** `root` and every process descended from it (nginx's workers, node:cluster workers). */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const fields = statFields(Number(name));
    const parent = Number(fields?.[1]);
    if (!fields || !Number.isFinite(parent)) continue;
    const list = children.get(parent) ?? [];
    list.push(Number(name));
    children.set(parent, list);
  }
  const tree: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift() as number;
    tree.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/** utime + stime of whole processes (all their threads), from /proc/<pid>/stat. */
export function cpuOf(pids: readonly number[]): CpuTime {
  const ticks = clockTicks();
  let user = 0;
  let system = 0;
  for (const pid of pids) {
    const fields = statFields(pid);
    if (!fields) continue;
    // Fields 14 and 15 of stat(5); index 0 here is field 3.
    user += Number(fields[11]) / ticks;
    system += Number(fields[12]) / ticks;
  }
  return { user, system };
}

export function cpuDelta(before: CpuTime, after: CpuTime): CpuTime {
  return { user: after.user - before.user, system: after.system - before.system };
}

/** Resident memory in bytes (VmRSS of /proc/<pid>/status), summed over the processes. */
export function rssOf(pids: readonly number[]): number {
  let total = 0;
  for (const pid of pids) {
    try {
      const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (match) total += Number(match[1]) * 1024;
    } catch {
      // Gone.
    }
  }
  return total;
}

/** The hard limit on open files: how many sockets one process may hold. */
export function openFilesHardLimit(): number {
  const match = /^Max open files\s+\d+\s+(\d+|unlimited)/m.exec(
    readFileSync('/proc/self/limits', 'utf8'),
  );
  if (!match || match[1] === 'unlimited') return 1_048_576;
  return Number(match[1]);
}
