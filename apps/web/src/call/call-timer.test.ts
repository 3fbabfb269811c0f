import { describe, expect, it } from 'vitest';
import { formatDuration } from './call-timer.js';

describe('formatDuration', () => {
  it('formats minutes and seconds', () => {
    expect(formatDuration(7)).toBe('0:07');
    expect(formatDuration(754)).toBe('12:34');
  });

  it('adds hours when needed', () => {
    expect(formatDuration(3723)).toBe('1:02:03');
  });
});
