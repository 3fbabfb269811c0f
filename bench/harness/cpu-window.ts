/**
 * One measurement window: wall time, the server's own CPU (from /proc, whole process tree) and the load
 * generator's CPU over the same interval. Reporting both shows when the generator, not the server, is the
 * bottleneck, while the server's CPU per message stays an honest figure either way.
 */
import { processTree, readTreeCpuMicros } from './proc-stats.js';

/** What a closed window measured. */
export interface CpuWindowResult {
  wallMs: number;
  serverCpuMicros: number;
  generatorCpuMicros: number;
}

/** Open a window on the server process `serverPid` (its tree is listed once, now). */
export function openCpuWindow(serverPid: number): { close(): CpuWindowResult } {
  const tree = processTree(serverPid);
  const wall0 = performance.now();
  const server0 = readTreeCpuMicros(tree);
  const generator0 = process.cpuUsage();
  return {
    close() {
      const generator = process.cpuUsage(generator0);
      return {
        wallMs: performance.now() - wall0,
        serverCpuMicros: readTreeCpuMicros(tree) - server0,
        generatorCpuMicros: generator.user + generator.system,
      };
    },
  };
}
