import { describe, expect, it } from 'vitest';
import { formatBytes, formatTimeLeft, TransferRate } from './transfer-rate.js';

describe('TransferRate', () => {
  it('reports no speed before two samples', () => {
    const rate = new TransferRate();
    rate.record(0, 0);
    expect(rate.bytesPerSecond).toBe(0);
    expect(rate.secondsLeft(100)).toBeUndefined();
  });

  it('measures over the window and estimates time left', () => {
    const rate = new TransferRate(2000);
    rate.record(0, 0);
    rate.record(1000, 1000);
    expect(rate.bytesPerSecond).toBe(1000);
    expect(rate.secondsLeft(5000)).toBe(4);
  });

  it('forgets samples older than the window, so a speed-up shows', () => {
    const rate = new TransferRate(1000);
    rate.record(0, 0);
    rate.record(1000, 100);
    rate.record(2000, 200);
    rate.record(3000, 10_200);
    expect(rate.bytesPerSecond).toBe(10_000);
  });
});

describe('formatBytes', () => {
  it('picks a readable unit', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(20 * 1024 * 1024)).toBe('20.0 MB');
  });
});

describe('formatTimeLeft', () => {
  it('reads seconds and minutes', () => {
    expect(formatTimeLeft(2.2)).toBe('3 s left');
    expect(formatTimeLeft(125)).toBe('2 min 5 s left');
    expect(formatTimeLeft(undefined)).toBe('');
  });
});
