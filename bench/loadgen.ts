/**
 * The load generator process: run.ts starts one per measurement, pinned to its own core, and sends it one
 * job over IPC; it runs the job against the server and sends back one result. A fresh process per job keeps
 * one contender's garbage and sockets from slowing the generator for the next.
 */
import { runCapacity } from './workloads/capacity.js';
import type { LoadJob, LoadResult } from './workloads/load-job.js';
import { runRelayClosedLoop } from './workloads/relay-closed-loop.js';
import { runRelayOpenLoop } from './workloads/relay-open-loop.js';

async function runJob(job: LoadJob): Promise<LoadResult> {
  switch (job.workload) {
    case 'relay-closed':
      return runRelayClosedLoop(job);
    case 'relay-open':
      return runRelayOpenLoop(job);
    case 'capacity':
      return runCapacity(job);
  }
}

process.once('message', (job: LoadJob) => {
  runJob(job)
    .catch((error: unknown): LoadResult => ({
      workload: 'failed',
      error: error instanceof Error ? error.message : String(error),
    }))
    .then((result) => process.send?.(result, () => process.exit(0)));
});
process.send?.('ready');
