import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IceRefreshScheduler } from './ice-refresh-scheduler.js';

describe('IceRefreshScheduler', () => {
  beforeEach(() => vi.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => vi.useRealTimers());

  it('refreshes at 80% of the remaining lifetime, then keeps refreshing with each new expiry', () => {
    const scheduler = new IceRefreshScheduler();
    const refresh = vi.fn(() => Date.now() + 3600_000);
    scheduler.schedule('s1', Date.now() + 3600_000, refresh);
    vi.advanceTimersByTime(2880_000 - 1);
    expect(refresh).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(refresh).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(2880_000);
    expect(refresh).toHaveBeenCalledTimes(2);
    expect(scheduler.size).toBe(1);
  });

  it('stops when the refresh returns undefined (session gone or detached)', () => {
    const scheduler = new IceRefreshScheduler();
    const refresh = vi.fn(() => undefined);
    scheduler.schedule('s1', Date.now() + 1000_000, refresh);
    vi.advanceTimersByTime(1000_000);
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(scheduler.size).toBe(0);
  });

  it('replaces the timer when the same session is welcomed again (resume)', () => {
    const scheduler = new IceRefreshScheduler();
    const first = vi.fn(() => undefined);
    const second = vi.fn(() => undefined);
    scheduler.schedule('s1', Date.now() + 100_000, first);
    scheduler.schedule('s1', Date.now() + 200_000, second);
    vi.advanceTimersByTime(200_000);
    expect(first).not.toHaveBeenCalled();
    expect(second).toHaveBeenCalledTimes(1);
  });

  it('schedules nothing without an expiry, and stop() cancels everything', () => {
    const scheduler = new IceRefreshScheduler();
    const refresh = vi.fn(() => undefined);
    scheduler.schedule('a', undefined, refresh);
    scheduler.schedule('b', Date.now() + 10_000, refresh);
    scheduler.schedule('c', Date.now() + 10_000, refresh);
    expect(scheduler.size).toBe(2);
    scheduler.stop();
    vi.advanceTimersByTime(60_000);
    expect(refresh).not.toHaveBeenCalled();
  });

  it('waits at least minDelayMs even for an expiry in the past', () => {
    const scheduler = new IceRefreshScheduler({ minDelayMs: 5000 });
    const refresh = vi.fn(() => undefined);
    scheduler.schedule('s', Date.now() - 1000, refresh);
    vi.advanceTimersByTime(4999);
    expect(refresh).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(refresh).toHaveBeenCalledTimes(1);
  });
});
