import { describe, expect, it } from 'vitest';
import { PHOTO_FILTERS } from './photo-filters.js';

const filter = (id: string) => PHOTO_FILTERS.find((f) => f.id === id)!;

describe('PHOTO_FILTERS', () => {
  it('mono makes every pixel grey and keeps alpha', () => {
    const pixels = new Uint8ClampedArray([200, 100, 50, 77]);
    filter('mono').apply(pixels);
    expect(pixels[0]).toBe(pixels[1]);
    expect(pixels[1]).toBe(pixels[2]);
    expect(pixels[3]).toBe(77);
  });

  it('negative inverts the colour channels', () => {
    const pixels = new Uint8ClampedArray([0, 10, 255, 255]);
    filter('invert').apply(pixels);
    expect([...pixels]).toEqual([255, 245, 0, 255]);
  });

  it('original leaves pixels alone', () => {
    const pixels = new Uint8ClampedArray([1, 2, 3, 4]);
    filter('none').apply(pixels);
    expect([...pixels]).toEqual([1, 2, 3, 4]);
  });
});
