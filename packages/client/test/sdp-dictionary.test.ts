/**
 * The frozen `z1` dictionary is exactly what its recipe (sdp-dictionary-source.ts) builds from the tracked
 * fixtures, so the next codec's dictionary can be rebuilt from new captures the same way.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SDP_DICTIONARY } from '../src/peer/sdp-dictionary.js';
import { buildSdpDictionaryLines } from './sdp-dictionary-source.js';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../src/peer/fixtures/${name}`, import.meta.url), 'utf8'));

describe('the z1 SDP dictionary', () => {
  it('is what the recipe builds from the captured fixtures', () => {
    const lines = buildSdpDictionaryLines(
      fixture('sdp-fixtures.json') as Record<string, string>,
      fixture('candidate-fixtures.json') as Record<string, unknown[][]>,
    );
    expect(lines.join('\r\n')).toBe(SDP_DICTIONARY);
  });
});
