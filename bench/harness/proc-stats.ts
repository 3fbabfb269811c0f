/**
 * Reads a server's own CPU time and resident memory from /proc. The load generator may saturate its core;
 * the server's utime+stime does not care, which is why every CPU figure in the report comes from here and
 * not from wall-clock throughput.
 *
 * Figures cover a process TREE: the Switchboard launcher (packages/server/bin) may run the server as a child
 * process, and a child's CPU only reaches the parent's counters after it exits.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

/** CPU ticks and parent of one process, as /proc/<pid>/stat reports them. */
export interface ProcStat {
  pid: number;
  ppid: number;
  utimeTicks: number;
  stimeTicks: number;
}

/**
 * Parse /proc/<pid>/stat. The command name (field 2) is in parentheses and may itself contain spaces and
 * parentheses, so fields are counted from the LAST ')' (proc(5)).
 */
export function parseProcStat(text: string): ProcStat {
  const close = text.lastIndexOf(')');
  if (close < 0) throw new Error('not a /proc/<pid>/stat line: no ")" after the command name');
  const pid = Number.parseInt(text.slice(0, text.indexOf(' ')), 10);
  // After ')' come fields 3.. : state(3) ppid(4) ... utime(14) stime(15).
  const rest = text.slice(close + 2).split(' ');
  const field = (n: number): number => Number.parseInt(rest[n - 3] ?? '', 10);
  const stat = { pid, ppid: field(4), utimeTicks: field(14), stimeTicks: field(15) };
  if (Object.values(stat).some(Number.isNaN)) throw new Error(`unparseable /proc stat: ${text.slice(0, 80)}`);
  return stat;
}

/** Parse the VmRSS line of /proc/<pid>/status into bytes (0 when the process has no RSS line, e.g. a zombie). */
export function parseVmRssBytes(statusText: string): number {
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(statusText);
  return match ? Number.parseInt(match[1]!, 10) * 1024 : 0;
}

let ticksPerSecond: number | undefined;
/** USER_HZ, normally 100; asked once from getconf because it is a kernel build option. */
export function clockTicksPerSecond(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond =
        Number.parseInt(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim(), 10) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

function tryRead(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined; // the process exited between listing and reading
  }
}

/** `root` and every live descendant of it. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const text = tryRead(`/proc/${entry}/stat`);
    if (text === undefined) continue;
    const { pid, ppid } = parseProcStat(text);
    const list = children.get(ppid) ?? [];
    list.push(pid);
    children.set(ppid, list);
  }
  const tree: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.pop()!;
    tree.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/** User+system CPU time of a process tree, in microseconds (resolution: one clock tick, normally 10 ms). */
export function readTreeCpuMicros(pids: readonly number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    const text = tryRead(`/proc/${pid}/stat`);
    if (text === undefined) continue;
    const stat = parseProcStat(text);
    ticks += stat.utimeTicks + stat.stimeTicks;
  }
  return (ticks * 1_000_000) / clockTicksPerSecond();
}

/** Resident set size of a process tree, in bytes. */
export function readTreeRssBytes(pids: readonly number[]): number {
  let bytes = 0;
  for (const pid of pids) bytes += parseVmRssBytes(tryRead(`/proc/${pid}/status`) ?? '');
  return bytes;
}
