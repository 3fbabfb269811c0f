import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LivenessMonitor } from './liveness-monitor.js';

describe('LivenessMonitor', () => {
  let pings: number;
  let deaths: number;
  let monitor: LivenessMonitor;

  beforeEach(() => {
    vi.useFakeTimers();
    pings = 0;
    deaths = 0;
    monitor = new LivenessMonitor({
      silenceTimeoutMs: 15_000,
      pingAfterMs: 5_000,
      sendPing: () => (pings += 1),
      onDead: () => (deaths += 1),
    });
  });

  afterEach(() => {
    monitor.stop();
    vi.useRealTimers();
  });

  it('pings after pingAfterMs of silence and declares the socket dead at silenceTimeoutMs', () => {
    monitor.start();
    vi.advanceTimersByTime(4_999);
    expect(pings).toBe(0);
    vi.advanceTimersByTime(1);
    expect(pings).toBe(1);
    vi.advanceTimersByTime(9_999);
    expect(deaths).toBe(0);
    vi.advanceTimersByTime(1);
    expect(deaths).toBe(1);
    expect(pings).toBe(1);
  });

  it('stays quiet while frames keep arriving', () => {
    monitor.start();
    for (let i = 0; i < 20; i += 1) {
      vi.advanceTimersByTime(4_000);
      monitor.noteActivity();
    }
    expect(pings).toBe(0);
    expect(deaths).toBe(0);
  });

  it('pings again after a frame ends one silence and another begins', () => {
    monitor.start();
    vi.advanceTimersByTime(6_000);
    monitor.noteActivity();
    vi.advanceTimersByTime(6_000);
    expect(pings).toBe(2);
    expect(deaths).toBe(0);
  });

  it('does nothing once stopped', () => {
    monitor.start();
    monitor.stop();
    vi.advanceTimersByTime(60_000);
    expect(pings + deaths).toBe(0);
  });
});
