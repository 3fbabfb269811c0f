import { describe, expect, it } from 'vitest';
import { formatNumber, formatRatio, markdownTable } from './markdown-table.js';

describe('markdownTable', () => {
  it('pads every column to its widest cell', () => {
    expect(markdownTable(['a', 'bb'], [['ccc', 'd']])).toBe('| a   | bb |\n|-----|----|\n| ccc | d  |');
  });
});

describe('formatRatio', () => {
  it('divides by the anchor and marks missing data with a dash', () => {
    expect(formatRatio(3, 2)).toBe('1.50×');
    expect(formatRatio(3, 0)).toBe('—');
    expect(formatRatio(undefined, 2)).toBe('—');
    expect(formatRatio(Number.NaN, 2)).toBe('—');
  });
});

describe('formatNumber', () => {
  it('groups thousands and dashes non-numbers', () => {
    expect(formatNumber(12345.678, 1)).toBe('12,345.7');
    expect(formatNumber(Number.POSITIVE_INFINITY)).toBe('—');
  });
});
