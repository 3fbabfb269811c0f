import { afterEach, describe, expect, it, vi } from 'vitest';
import { TokenExpiryWatch } from './token-expiry-watch.js';

function subject(expiresAt: number | undefined): { principal: { expiresAt: number | undefined } } {
  return { principal: { expiresAt } };
}

describe('TokenExpiryWatch', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('reports a subject once its expiry passes, not before', () => {
    vi.useFakeTimers({ now: 0 });
    const expired = vi.fn();
    const watch = new TokenExpiryWatch(expired);
    const s = subject(1_000);
    watch.watch(s);
    vi.advanceTimersByTime(999);
    expect(expired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(expired).toHaveBeenCalledExactlyOnceWith(s);
    expect(watch.size).toBe(0);
  });

  it('reschedules a subject whose principal was refreshed meanwhile', () => {
    vi.useFakeTimers({ now: 0 });
    const expired = vi.fn();
    const watch = new TokenExpiryWatch(expired);
    const s = subject(1_000);
    watch.watch(s);
    s.principal = { expiresAt: 5_000 }; // a `token` refresh replaces the principal
    vi.advanceTimersByTime(4_999);
    expect(expired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(expired).toHaveBeenCalledOnce();
  });

  it('costs nothing without an expiry, and forgets unwatched subjects', () => {
    vi.useFakeTimers({ now: 0 });
    const expired = vi.fn();
    const watch = new TokenExpiryWatch(expired);
    watch.watch(subject(undefined));
    expect(watch.size).toBe(0);
    const s = subject(100);
    watch.watch(s);
    watch.unwatch(s);
    const t = subject(100);
    watch.watch(t);
    watch.stop();
    vi.advanceTimersByTime(1_000);
    expect(expired).not.toHaveBeenCalled();
  });

  it('chains waits longer than one timer allows', () => {
    vi.useFakeTimers({ now: 0 });
    const expired = vi.fn();
    const watch = new TokenExpiryWatch(expired);
    watch.watch(subject(40 * 86_400_000)); // 40 days: beyond setTimeout's 24.8-day cap
    vi.advanceTimersByTime(30 * 86_400_000);
    expect(expired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(10 * 86_400_000);
    expect(expired).toHaveBeenCalledOnce();
  });
});
