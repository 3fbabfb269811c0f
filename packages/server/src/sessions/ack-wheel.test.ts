import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AckWheel } from './ack-wheel.js';

describe('AckWheel', () => {
  let flushed: string[];
  let wheel: AckWheel<string>;

  beforeEach(() => {
    vi.useFakeTimers();
    flushed = [];
    wheel = new AckWheel(100, (item) => flushed.push(item));
  });
  afterEach(() => {
    wheel.stop();
    vi.useRealTimers();
  });

  it('flushes an item no sooner than the delay and at most a quarter of it later', () => {
    wheel.add('a');
    vi.advanceTimersByTime(100);
    expect(flushed).toEqual([]);
    vi.advanceTimersByTime(25);
    expect(flushed).toEqual(['a']);
  });

  it('serves many items with one timer, each on its own schedule', () => {
    wheel.add('a');
    vi.advanceTimersByTime(60);
    wheel.add('b');
    vi.advanceTimersByTime(65);
    expect(flushed).toEqual(['a']);
    vi.advanceTimersByTime(60);
    expect(flushed).toEqual(['a', 'b']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('forgets a deleted item, and flushes everything at once on demand', () => {
    wheel.add('gone');
    wheel.delete('gone');
    wheel.add('x');
    wheel.add('y');
    wheel.flushAll();
    expect(flushed).toEqual(['x', 'y']);
    vi.advanceTimersByTime(500);
    expect(flushed).toEqual(['x', 'y']);
  });

  it('tells the flush whether it is due by the clock or forced by flushAll', () => {
    const calls: [string, boolean][] = [];
    const told = new AckWheel<string>(100, (item, isForced) => calls.push([item, isForced]));
    told.add('due');
    vi.advanceTimersByTime(125);
    told.add('drained');
    told.flushAll();
    expect(calls).toEqual([
      ['due', false],
      ['drained', true],
    ]);
    told.stop();
  });

  it('turns by the clock when a tick comes late, so a lagging event loop does not stretch the delay', () => {
    // Regression: the wheel counted timer callbacks, so each late tick added the loop's lag to the delay,
    // five times over; under load a client's request timed out before its standalone ack came.
    wheel.add('late');
    vi.setSystemTime(Date.now() + 100); // the loop was busy for the whole delay; no callback ran meanwhile
    vi.advanceTimersToNextTimer();
    expect(flushed).toEqual(['late']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('takes an item registered again from its own flush on a later tick', () => {
    const again = new AckWheel<string>(100, (item) => {
      flushed.push(item);
      if (flushed.length === 1) again.add(item);
    });
    again.add('z');
    vi.advanceTimersByTime(125);
    expect(flushed).toEqual(['z']);
    vi.advanceTimersByTime(125);
    expect(flushed).toEqual(['z', 'z']);
    again.stop();
  });
});
