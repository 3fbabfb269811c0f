import { describe, expect, it } from 'vitest';
import { LatencyRecorder, percentile } from './latency-recorder.js';

describe('percentile', () => {
  it('uses nearest rank, so it always returns one of the samples', () => {
    const xs = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(percentile(xs, 50)).toBe(5);
    expect(percentile(xs, 99)).toBe(10);
    expect(percentile(xs, 100)).toBe(10);
    expect(percentile(xs, 0)).toBe(1);
  });

  it('is NaN for no samples rather than a made-up zero', () => {
    expect(percentile([], 50)).toBeNaN();
  });

  it('picks the 999th of 1000 samples for p99.9', () => {
    const xs = Array.from({ length: 1000 }, (_, i) => i + 1);
    expect(percentile(xs, 99.9)).toBe(999);
  });
});

describe('LatencyRecorder', () => {
  it('summarises samples recorded out of order and beyond its initial capacity', () => {
    const recorder = new LatencyRecorder();
    for (let i = 10_000; i >= 1; i--) recorder.record(i / 10);
    const summary = recorder.summarize();
    expect(summary.count).toBe(10_000);
    expect(summary.p50Ms).toBe(500);
    expect(summary.p99Ms).toBe(990);
    expect(summary.p999Ms).toBe(999);
    expect(summary.maxMs).toBe(1000);
  });
});
