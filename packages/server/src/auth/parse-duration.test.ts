import { describe, expect, it } from 'vitest';
import { parseDurationMs } from './parse-duration.js';

describe('parseDurationMs', () => {
  it('reads each unit, and bare numbers as seconds', () => {
    expect(parseDurationMs('250ms')).toBe(250);
    expect(parseDurationMs('45s')).toBe(45_000);
    expect(parseDurationMs('30m')).toBe(1_800_000);
    expect(parseDurationMs('1h')).toBe(3_600_000);
    expect(parseDurationMs('2d')).toBe(172_800_000);
    expect(parseDurationMs('1w')).toBe(604_800_000);
    expect(parseDurationMs('90')).toBe(90_000);
    expect(parseDurationMs('1.5h')).toBe(5_400_000);
  });

  it('refuses text that is not a positive duration with one sentence', () => {
    for (const bad of ['', 'h', '1y', '-1h', '0s', '1 h h', '1e3s', 'Infinity']) {
      expect(() => parseDurationMs(bad)).toThrow(RangeError);
    }
  });
});
