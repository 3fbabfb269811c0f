/**
 * Photo booth filters as pixel operations on ImageData. Pixel loops rather than `ctx.filter` because the
 * canvas filter property is missing in some browsers, and the result must be the same PNG everywhere.
 */

/** A filter the booth offers. */
export interface PhotoFilter {
  readonly id: string;
  readonly label: string;
  /** Transform the pixels in place. */
  readonly apply: (pixels: Uint8ClampedArray) => void;
}

const clamp = (value: number): number => (value < 0 ? 0 : value > 255 ? 255 : value);

/** Every filter, "Original" first. */
export const PHOTO_FILTERS: readonly PhotoFilter[] = [
  { id: 'none', label: 'Original', apply: () => undefined },
  {
    id: 'mono',
    label: 'Mono',
    apply: (p) => {
      for (let i = 0; i < p.length; i += 4) {
        const y = 0.2126 * (p[i] ?? 0) + 0.7152 * (p[i + 1] ?? 0) + 0.0722 * (p[i + 2] ?? 0);
        p[i] = p[i + 1] = p[i + 2] = y;
      }
    },
  },
  {
    id: 'sepia',
    label: 'Sepia',
    apply: (p) => {
      for (let i = 0; i < p.length; i += 4) {
        const r = p[i] ?? 0;
        const g = p[i + 1] ?? 0;
        const b = p[i + 2] ?? 0;
        p[i] = clamp(0.393 * r + 0.769 * g + 0.189 * b);
        p[i + 1] = clamp(0.349 * r + 0.686 * g + 0.168 * b);
        p[i + 2] = clamp(0.272 * r + 0.534 * g + 0.131 * b);
      }
    },
  },
  {
    id: 'vivid',
    label: 'Vivid',
    apply: (p) => {
      for (let i = 0; i < p.length; i += 4) {
        const r = p[i] ?? 0;
        const g = p[i + 1] ?? 0;
        const b = p[i + 2] ?? 0;
        const mean = (r + g + b) / 3;
        // Push each channel away from grey (saturation), then add contrast around mid-grey.
        p[i] = clamp((mean + (r - mean) * 1.6 - 128) * 1.15 + 128);
        p[i + 1] = clamp((mean + (g - mean) * 1.6 - 128) * 1.15 + 128);
        p[i + 2] = clamp((mean + (b - mean) * 1.6 - 128) * 1.15 + 128);
      }
    },
  },
  {
    id: 'invert',
    label: 'Negative',
    apply: (p) => {
      for (let i = 0; i < p.length; i += 4) {
        p[i] = 255 - (p[i] ?? 0);
        p[i + 1] = 255 - (p[i + 1] ?? 0);
        p[i + 2] = 255 - (p[i + 2] ?? 0);
      }
    },
  },
];
