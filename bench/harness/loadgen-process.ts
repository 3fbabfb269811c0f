/**
 * Run one job in a fresh load generator process (bench/loadgen.ts) pinned to the generator core, and return
 * its result. The IPC channel survives `taskset`, which execs node in place.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { GENERATOR_CORE, pinned } from './cpu-pinning.js';
import type { LoadJob, LoadResult } from '../workloads/load-job.js';

const LOADGEN = fileURLToPath(new URL('../loadgen.ts', import.meta.url));

/** Run `job`; reject if the generator dies or exceeds `timeoutMs`. */
export function runLoadJob(job: LoadJob, timeoutMs: number): Promise<LoadResult> {
  const argv = pinned(GENERATOR_CORE, [process.execPath, '--conditions=source', '--import', 'tsx', LOADGEN]);
  const [command, ...args] = argv;
  const child = spawn(command!, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    let result: LoadResult | undefined;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`load generator exceeded ${timeoutMs} ms on ${job.workload}`));
    }, timeoutMs);
    // The job goes out only after the generator says it listens: with ESM loading taking several ticks, a
    // message sent earlier could arrive before its 'message' listener exists.
    child.on('message', (message: LoadResult | 'ready') => {
      if (message === 'ready') child.send(job);
      else result = message;
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (result) resolve(result);
      else reject(new Error(`load generator exited with ${code} and no result`));
    });
  });
}
