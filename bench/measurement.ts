/** One cell of the comparison: a workload variant run against one contender, or the reason it was skipped. */
import type { WorkloadName } from './run-options.js';
import type { LoadResult } from './workloads/load-job.js';
import type { BrowserResult } from './browser/browser-result.js';

export interface Measurement {
  workload: WorkloadName;
  variant: string;
  /** A ContenderName for Node workloads; a browser contender's name for Chromium workloads. */
  contender: string;
  result?: LoadResult | BrowserResult;
  skipped?: string;
}
