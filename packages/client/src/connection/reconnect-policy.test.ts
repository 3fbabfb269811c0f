import { describe, expect, it } from 'vitest';
import { exponentialBackoffWithFullJitter } from './backoff.js';
import { ExponentialBackoffPolicy } from './reconnect-policy.js';

const context = (attempt: number) => ({ attempt, elapsedMs: 0, lastError: undefined });

describe('exponentialBackoffWithFullJitter', () => {
  const options = { baseDelayMs: 250, maxDelayMs: 10_000 };

  it('doubles the ceiling with each attempt until the cap', () => {
    const ceilings = [1, 2, 3, 4, 5, 6, 7, 8].map((attempt) =>
      // random() just below 1 yields (almost) the ceiling itself.
      exponentialBackoffWithFullJitter(attempt, { ...options, random: () => 0.999_999 }),
    );
    expect(ceilings).toEqual([249, 499, 999, 1999, 3999, 7999, 9999, 9999]);
  });

  it('spreads delays uniformly from zero (full jitter)', () => {
    expect(exponentialBackoffWithFullJitter(4, { ...options, random: () => 0 })).toBe(0);
    expect(exponentialBackoffWithFullJitter(4, { ...options, random: () => 0.5 })).toBe(1000);
  });

  it('stays finite for absurd attempt counts', () => {
    expect(exponentialBackoffWithFullJitter(10_000, { ...options, random: () => 0.5 })).toBe(5000);
  });
});

describe('ExponentialBackoffPolicy', () => {
  it('never gives up by default', () => {
    const policy = new ExponentialBackoffPolicy({ random: () => 0.5 });
    expect(policy.nextRetryDelayInMs(context(1))).toBe(125);
    expect(policy.nextRetryDelayInMs(context(1_000_000))).toBe(5000);
  });

  it('gives up after maxAttempts', () => {
    const policy = new ExponentialBackoffPolicy({ maxAttempts: 3, random: () => 0.5 });
    expect(policy.nextRetryDelayInMs(context(3))).not.toBeNull();
    expect(policy.nextRetryDelayInMs(context(4))).toBeNull();
  });

  it('honours baseDelayMs and maxDelayMs', () => {
    const policy = new ExponentialBackoffPolicy({
      baseDelayMs: 100,
      maxDelayMs: 300,
      random: () => 0.999_999,
    });
    expect([1, 2, 3, 4].map((attempt) => policy.nextRetryDelayInMs(context(attempt)))).toEqual([
      99, 199, 299, 299,
    ]);
  });
});
