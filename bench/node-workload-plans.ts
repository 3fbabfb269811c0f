/**
 * The Node-side workloads (1–3) as concrete jobs, in quick and full sizes. Quick keeps every workload but
 * runs one size of each (P=100, 10k msg/s), shortens windows and shrinks capacity, so `npm run bench --
 * --quick` validates the whole harness in under two minutes; the figures in BENCHMARKS.md come from full
 * runs unless labelled otherwise.
 */
import type { ProtocolName } from './clients/connect-peer-for.js';
import type { WorkloadName } from './run-options.js';
import type { LoadJob } from './workloads/load-job.js';

/** One job per contender, described once. */
export interface NodeWorkloadPlan {
  workload: WorkloadName;
  /** Distinguishes sizes of one workload in tables, e.g. "P=100". */
  variant: string;
  makeJob(target: { protocol: ProtocolName; port: number; serverPid: number }): LoadJob;
  /** Hard limit for the generator process. */
  timeoutMs: number;
}

/** Plans for the selected Node workloads. */
export function planNodeWorkloads(workloads: readonly WorkloadName[], isQuick: boolean): NodeWorkloadPlan[] {
  const warmupMs = isQuick ? 300 : 2_000;
  const durationMs = isQuick ? 1_500 : 10_000;
  // Each measurement starts its server and generator afresh (a few seconds of fixed cost), so quick mode
  // keeps one size per workload rather than shortening windows further.
  const pairSizes = isQuick ? [100] : [100, 1_000];
  const rates = isQuick ? [10_000] : [10_000, 20_000];
  const plans: NodeWorkloadPlan[] = [];
  if (workloads.includes('relay-closed')) {
    for (const pairs of pairSizes) {
      plans.push({
        workload: 'relay-closed',
        variant: `P=${pairs}`,
        makeJob: (t) => ({ ...t, workload: 'relay-closed', pairs, warmupMs, durationMs }),
        timeoutMs: 120_000,
      });
    }
  }
  if (workloads.includes('relay-open')) {
    for (const ratePerSecond of rates) {
      plans.push({
        workload: 'relay-open',
        variant: `${ratePerSecond / 1000}k msg/s`,
        makeJob: (t) => ({ ...t, workload: 'relay-open', pairs: 100, ratePerSecond, warmupMs, durationMs }),
        timeoutMs: 120_000,
      });
    }
  }
  if (workloads.includes('capacity')) {
    // 19k in full runs: the open-file limit here is 20k per process and the server needs a few fds of its own.
    const clients = isQuick ? 3_000 : 19_000;
    plans.push({
      workload: 'capacity',
      variant: `${clients.toLocaleString('en-US')} idle`,
      makeJob: (t) => ({
        ...t,
        workload: 'capacity',
        clients,
        concurrency: 100,
        settleMs: isQuick ? 1_000 : 3_000,
      }),
      timeoutMs: 300_000,
    });
  }
  return plans;
}
