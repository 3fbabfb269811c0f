/**
 * Notes about the machine a run happened on. The load average is included because these machines are
 * shared: a run at load 6 on 2 cores is labelled as such in BENCHMARKS.md.
 */
import { availableParallelism, cpus, loadavg, release, totalmem } from 'node:os';
import { canPin } from './cpu-pinning.js';

/** Machine description stored with every result file. */
export interface MachineNotes {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  node: string;
  kernel: string;
  loadAverage1m: number;
  pinned: boolean;
  summary: string;
}

export function describeMachine(): MachineNotes {
  const notes = {
    cpuModel: cpus()[0]?.model ?? 'unknown',
    cores: availableParallelism(),
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    kernel: release(),
    loadAverage1m: loadavg()[0] ?? 0,
    pinned: canPin(),
  };
  const pinning = notes.pinned
    ? 'server pinned to core 0, generator to core 1'
    : 'unpinned (no taskset or one core)';
  return {
    ...notes,
    summary: `${notes.cores} cores (${notes.cpuModel}), ${notes.memoryGiB} GiB, Node ${notes.node}, Linux ${notes.kernel}, load avg ${notes.loadAverage1m.toFixed(2)} at start, ${pinning}`,
  };
}
