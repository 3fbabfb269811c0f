/**
 * Collects latency samples (milliseconds) and summarises them as percentiles. It keeps every sample rather
 * than a histogram: a bench window holds at most a few hundred thousand, and exact order statistics avoid
 * arguing about bucket error when two contenders differ by tenths of a millisecond.
 */

/** The summary every latency column in the report comes from. */
export interface LatencySummary {
  count: number;
  p50Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
}

/**
 * The nearest-rank percentile of an ascending array: the smallest sample with at least `p`% of samples at or
 * below it. Nearest-rank never invents a value between two samples, so `percentile(x, 100)` is the max.
 */
export function percentile(sortedAscending: ArrayLike<number>, p: number): number {
  const n = sortedAscending.length;
  if (n === 0) return Number.NaN;
  if (p <= 0) return sortedAscending[0]!;
  // The epsilon keeps 99.9% of 1000 at rank 999: (99.9 / 100) * 1000 is 999.0000000000001 in binary floating point.
  const rank = Math.min(n, Math.ceil((p * n) / 100 - 1e-9));
  return sortedAscending[rank - 1]!;
}

/** Growable Float64Array of samples; `summarize()` sorts a copy. */
export class LatencyRecorder {
  #samples = new Float64Array(4096);
  #count = 0;

  /** Record one latency in milliseconds. */
  record(ms: number): void {
    if (this.#count === this.#samples.length) {
      const bigger = new Float64Array(this.#samples.length * 2);
      bigger.set(this.#samples);
      this.#samples = bigger;
    }
    this.#samples[this.#count++] = ms;
  }

  /** How many samples were recorded. */
  get count(): number {
    return this.#count;
  }

  /** p50/p99/p99.9/max over everything recorded so far. */
  summarize(): LatencySummary {
    const sorted = this.#samples.slice(0, this.#count).sort();
    return {
      count: this.#count,
      p50Ms: percentile(sorted, 50),
      p99Ms: percentile(sorted, 99),
      p999Ms: percentile(sorted, 99.9),
      maxMs: percentile(sorted, 100),
    };
  }
}
