import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EarlySignalBuffer, type EarlyDropReason } from './early-signal-buffer.js';

describe('EarlySignalBuffer', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function buffer(maxCount = 3, maxAgeMs = 1000) {
    const dropped: [string, EarlyDropReason][] = [];
    const early = new EarlySignalBuffer<string>({
      maxCount,
      maxAgeMs,
      onDrop: (item, reason) => dropped.push([item, reason]),
    });
    return { early, dropped };
  }

  it('hands items back in arrival order, filtered, and keeps the rest', () => {
    const { early, dropped } = buffer();
    early.push('a1');
    early.push('b1');
    early.push('a2');
    expect(early.take((item) => item.startsWith('a'))).toEqual(['a1', 'a2']);
    expect(early.take()).toEqual(['b1']);
    expect(early.size).toBe(0);
    expect(dropped).toEqual([]);
  });

  it('drops the oldest item for room, and says so', () => {
    const { early, dropped } = buffer(2);
    early.push('1');
    early.push('2');
    early.push('3');
    expect(dropped).toEqual([['1', 'overflow']]);
    expect(early.take()).toEqual(['2', '3']);
  });

  it('reports expiry when it happens, without a later push or take', () => {
    const { early, dropped } = buffer(10, 1000);
    early.push('old');
    vi.advanceTimersByTime(600);
    early.push('young');
    vi.advanceTimersByTime(400);
    expect(dropped).toEqual([['old', 'expired']]);
    vi.advanceTimersByTime(600);
    expect(dropped).toEqual([
      ['old', 'expired'],
      ['young', 'expired'],
    ]);
    expect(early.size).toBe(0);
  });

  it('shift() hands back the oldest item that has not expired', () => {
    const { early, dropped } = buffer(10, 1000);
    early.push('stale');
    vi.advanceTimersByTime(600);
    early.push('fresh');
    vi.setSystemTime(Date.now() + 400); // the clock moved but the timer has not fired yet
    expect(early.shift()).toBe('fresh');
    expect(dropped).toEqual([['stale', 'expired']]);
    expect(early.shift()).toBeUndefined();
  });

  it('clear() forgets silently and stops the timer', () => {
    const { early, dropped } = buffer();
    early.push('x');
    early.clear();
    vi.advanceTimersByTime(5000);
    expect(dropped).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });
});
