import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MESSAGE_RATE_LIMITS,
  MessageRateLimitPolicy,
  parseTypeRateLimit,
} from './message-rate-limits.js';

describe('MessageRateLimiter', () => {
  it('refuses a type past its burst, naming the type and limit, and counts it', () => {
    let now = 0;
    const counted: string[] = [];
    const policy = new MessageRateLimitPolicy(
      { join: { perSecond: 1, burst: 2 } },
      (type) => counted.push(type),
      () => now,
    );
    const limiter = policy.forConnection();
    expect(limiter.take('join')).toBeUndefined();
    expect(limiter.take('join')).toBeUndefined();
    expect(limiter.take('join')).toBe('join rate limit exceeded (1/s, burst 2); the join was dropped');
    expect(counted).toEqual(['join']);
    now = 1_000;
    expect(limiter.take('join')).toBeUndefined();
  });

  it('leaves types without a limit to the connection bucket, and keeps connections apart', () => {
    const policy = new MessageRateLimitPolicy({ ping: { perSecond: 1, burst: 1 } }, undefined, () => 0);
    const a = policy.forConnection();
    const b = policy.forConnection();
    for (let i = 0; i < 1_000; i += 1) expect(a.take('signal')).toBeUndefined();
    expect(a.take('ping')).toBeUndefined();
    expect(a.take('ping')).toBeDefined();
    expect(b.take('ping')).toBeUndefined();
  });

  it('has defaults that let the SDK rejoin every room at once but not flood presence', () => {
    expect(DEFAULT_MESSAGE_RATE_LIMITS.join!.burst).toBeGreaterThanOrEqual(8);
    expect(DEFAULT_MESSAGE_RATE_LIMITS.signal).toBeUndefined();
    expect(DEFAULT_MESSAGE_RATE_LIMITS.token!.perSecond).toBeLessThan(1);
  });
});

describe('parseTypeRateLimit', () => {
  it('reads type=perSecond/burst', () => {
    expect(parseTypeRateLimit('token=0.2/3')).toEqual(['token', { perSecond: 0.2, burst: 3 }]);
  });

  it('names the item and the rule it breaks', () => {
    expect(() => parseTypeRateLimit('hello=1/1')).toThrow(
      /"hello=1\/1" must look like type=perSecond\/burst/,
    );
    expect(() => parseTypeRateLimit('join=5')).toThrow(/must look like/);
    expect(() => parseTypeRateLimit('join=0/5')).toThrow(/perSecond must be a number from 0.01/);
    expect(() => parseTypeRateLimit('join=5/0')).toThrow(/burst must be an integer from 1/);
  });
});
