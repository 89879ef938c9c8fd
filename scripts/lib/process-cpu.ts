// CPU time of every thread of a process and its descendants, from Linux's /proc: how much a
// browser (page, workers, GPU and utility processes) really costs. For benchmarks only.
import { readdirSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

interface ProcStat {
  pid: number;
  parent: number;
  /** user + system CPU time, in seconds */
  cpu: number;
}

function readStat(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid …": comm may hold spaces and parentheses, so split after the last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return { pid, parent: Number(fields[1]), cpu: (utime + stime) / TICKS_PER_SECOND };
  } catch {
    return undefined; // the process ended meanwhile
  }
}

function allStats(): ProcStat[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readStat(Number(name)))
    .filter((stat): stat is ProcStat => stat !== undefined);
}

/** Pids of the first process whose command line contains `marker`, and of all its descendants. */
export function processTreeWith(marker: string): number[] {
  const root = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .find((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker) && pid !== process.pid;
      } catch {
        return false;
      }
    });
  if (root === undefined) return [];
  const stats = allStats();
  const tree = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const stat of stats) {
      if (!tree.has(stat.pid) && tree.has(stat.parent)) {
        tree.add(stat.pid);
        grew = true;
      }
    }
  }
  return [...tree];
}

/** CPU seconds so far of every thread in the tree, keyed "pid/comm/tid". */
export function threadCpuSeconds(marker: string): Map<string, number> {
  const result = new Map<string, number>();
  for (const pid of processTreeWith(marker)) {
    let tids: string[];
    try {
      tids = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const tid of tids) {
      try {
        const text = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        const comm = text.slice(text.indexOf('(') + 1, text.lastIndexOf(')'));
        const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
        result.set(`${pid}/${comm}/${tid}`, (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND);
      } catch {
        // the thread ended meanwhile
      }
    }
  }
  return result;
}

/** Time a thread spent on a CPU and runnable but waiting for one, in ns (Linux schedstat: exact, unlike the tick counts of stat). */
export interface SchedTimes {
  run: number;
  wait: number;
}

function readSchedstat(path: string): SchedTimes | undefined {
  try {
    const [run, wait] = readFileSync(path, 'utf8').split(' ').map(Number);
    return { run, wait };
  } catch {
    return undefined; // the thread ended meanwhile, or the kernel keeps no schedstat
  }
}

/** Run and wait times of thread `tid` of process `pid`. */
export function threadSchedTimes(pid: number, tid: number): SchedTimes | undefined {
  return readSchedstat(`/proc/${pid}/task/${tid}/schedstat`);
}

/** Run and wait times of the calling thread (Node's main thread, where the engine runs in this process). */
export function ownThreadSchedTimes(): SchedTimes | undefined {
  return readSchedstat('/proc/thread-self/schedstat');
}
