/**
 * Is memory flat? Compares the median RSS just after warm-up with the median at the end of a run. Medians
 * over windows, not single samples, so one garbage-collection swing does not decide the verdict.
 */

/** The verdict on a series of RSS samples. */
export interface RssTrend {
  /** Median RSS of the window right after warm-up, in MB. */
  readonly baselineMb: number;
  /** Median RSS of the last window, in MB. */
  readonly finalMb: number;
  /** Highest sample after warm-up, in MB. */
  readonly maxMb: number;
  /** `final / baseline - 1`: 0.1 is 10 % growth. */
  readonly growth: number;
  readonly samples: number;
}

/**
 * @param samples RSS in bytes, evenly spaced in time
 * @param warmupFraction the share of samples at the start to ignore (JIT, pools and caches filling up)
 * @param windowFraction the share of samples in each compared window
 */
export function rssTrend(samples: readonly number[], warmupFraction = 0.25, windowFraction = 0.15): RssTrend {
  const warm = samples.slice(Math.floor(samples.length * warmupFraction));
  const size = Math.max(1, Math.floor(samples.length * windowFraction));
  const baseline = median(warm.slice(0, size));
  const final = median(warm.slice(-size));
  const mb = (bytes: number): number => Math.round((bytes / 1048576) * 10) / 10;
  return {
    baselineMb: mb(baseline),
    finalMb: mb(final),
    maxMb: mb(Math.max(...warm)),
    growth: final / baseline - 1,
    samples: samples.length,
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}
