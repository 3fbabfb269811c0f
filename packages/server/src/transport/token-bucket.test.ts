import { describe, expect, it } from 'vitest';
import { TokenBucket } from './token-bucket.js';

describe('TokenBucket', () => {
  it('allows a burst, then refuses until time refills it', () => {
    let now = 0;
    const bucket = new TokenBucket(10, 3, () => now);
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, true, false]);
    now += 99;
    expect(bucket.take()).toBe(false);
    now += 1; // 100 ms at 10/s is one token
    expect(bucket.take()).toBe(true);
    expect(bucket.take()).toBe(false);
  });

  it('never holds more than its burst however long it idles', () => {
    let now = 0;
    const bucket = new TokenBucket(1000, 5, () => now);
    now += 60_000;
    expect(bucket.available).toBe(5);
    let taken = 0;
    while (bucket.take()) taken += 1;
    expect(taken).toBe(5);
  });

  it('sustains its rate over time', () => {
    let now = 0;
    const bucket = new TokenBucket(50, 1, () => now);
    let taken = 0;
    for (let ms = 0; ms < 10_000; ms += 1) {
      now = ms;
      if (bucket.take()) taken += 1;
    }
    expect(taken).toBeGreaterThanOrEqual(499);
    expect(taken).toBeLessThanOrEqual(501);
  });
});
