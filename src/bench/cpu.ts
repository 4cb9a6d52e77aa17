/**
 * CPU time of this process's main thread, of its other threads (worker
 * threads, libuv's pool, V8's helpers) and of its descendant processes (the
 * browser: GPU process with SwiftShader, renderers), read from Linux's /proc.
 * On a 2-core machine the sum per image, not any one stage's wall time, is what
 * bounds the throughput: 2 cores give at most 2,000 ms of CPU per second.
 */
import { readFileSync, readdirSync } from 'node:fs';

export interface CpuSnapshot {
  mainMs: number;
  nodeMs: number;
  browserMs: number;
}

/** Clock ticks per second of /proc's utime and stime (USER_HZ: 100 on Linux everywhere). */
const TICK_MS = 10;

/** utime + stime in ms from the text of a /proc stat file (the name in parentheses may hold spaces). */
function statCpuMs(stat: string): { cpuMs: number; ppid: number } {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is the state (field 3 of stat); ppid is field 4, utime 14, stime 15.
  return { ppid: Number(fields[1]), cpuMs: (Number(fields[11]) + Number(fields[12])) * TICK_MS };
}

function readStat(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null; // the process or thread ended meanwhile
  }
}

/** null where /proc is not there (not Linux). */
export function cpuSnapshot(): CpuSnapshot | null {
  const main = readStat(`/proc/self/task/${process.pid}/stat`);
  if (main === null) return null;
  const usage = process.cpuUsage();
  const parentOf = new Map<number, number>();
  const cpuOf = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(`/proc/${entry}/stat`);
    if (stat === null) continue;
    const { ppid, cpuMs } = statCpuMs(stat);
    parentOf.set(Number(entry), ppid);
    cpuOf.set(Number(entry), cpuMs);
  }
  const isDescendant = (pid: number): boolean => {
    for (let p = parentOf.get(pid); p !== undefined && p > 1; p = parentOf.get(p)) if (p === process.pid) return true;
    return false;
  };
  let browserMs = 0;
  for (const [pid, ms] of cpuOf) if (isDescendant(pid)) browserMs += ms;
  return { mainMs: statCpuMs(main).cpuMs, nodeMs: (usage.user + usage.system) / 1000, browserMs };
}

/** CPU per image between two snapshots, split into main thread, other Node threads and browser. */
export function cpuPerImage(a: CpuSnapshot, b: CpuSnapshot, images: number): { main: number; nodeOther: number; browser: number; total: number } {
  const main = (b.mainMs - a.mainMs) / images;
  const node = (b.nodeMs - a.nodeMs) / images;
  const browser = (b.browserMs - a.browserMs) / images;
  return { main, nodeOther: node - main, browser, total: node + browser };
}
