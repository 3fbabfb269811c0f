import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { Inflate, deflateSync } from 'fflate';
import { describe, expect, it, vi } from 'vitest';
import { fromBase64Url, toBase64Url } from '../base64-url.js';
import type { CandidateTuple } from './peer-signal.js';
import {
  MAX_SDP_BYTES,
  SDP_CODEC,
  packCandidates,
  packSdp,
  unpackCandidates,
  unpackSdp,
} from './sdp-codec.js';
import { SDP_DICTIONARY } from './sdp-dictionary.js';

/** Captured from Chromium 156 and @roamhq/wrtc on loopback (nothing secret: the keys never left the run). */
const SDPS = JSON.parse(
  readFileSync(new URL('./fixtures/sdp-fixtures.json', import.meta.url), 'utf8'),
) as Record<string, string>;
const CANDIDATES = JSON.parse(
  readFileSync(new URL('./fixtures/candidate-fixtures.json', import.meta.url), 'utf8'),
) as Record<string, CandidateTuple[]>;
const DATA_OFFER = SDPS['chromium-data-offer'] ?? '';
const DICTIONARY = new TextEncoder().encode(SDP_DICTIONARY);

/** The dictionary's last two descriptions: a data-channel answer and offer. */
const DICTIONARY_TAIL = DICTIONARY.subarray(
  new TextEncoder().encode(
    SDP_DICTIONARY.slice(0, SDP_DICTIONARY.lastIndexOf('v=0', SDP_DICTIONARY.lastIndexOf('v=0') - 1)),
  ).length,
);
/** Inflates a packing with `dictionary`; throws when it refers to bytes before the dictionary's start. */
const inflateWith = (packed: string, dictionary: Uint8Array): Uint8Array => {
  const chunks: Uint8Array[] = [];
  new Inflate({ dictionary }, (chunk) => chunks.push(chunk)).push(fromBase64Url(packed), true);
  return new Uint8Array(chunks.flatMap((chunk) => [...chunk]));
};

/** A packing of arbitrary bytes, as a broken or hostile sender could produce. */
const packBytes = (bytes: Uint8Array): string =>
  toBase64Url(deflateSync(bytes, { level: 9, dictionary: DICTIONARY }));
const ascii = (text: string): Uint8Array => new TextEncoder().encode(text);
/** One character of an ASCII `alphabet`. */
const charsOf = (alphabet: string): fc.Arbitrary<string> =>
  fc.nat(alphabet.length - 1).map((at) => alphabet.charAt(at));

describe('packSdp / unpackSdp', () => {
  it('round-trips every captured description exactly', () => {
    expect(Object.keys(SDPS).length).toBeGreaterThanOrEqual(16);
    for (const [name, sdp] of Object.entries(SDPS)) {
      const packed = packSdp(sdp);
      expect(packed, name).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(unpackSdp(packed), name).toBe(sdp);
    }
  });

  it('packs a data-channel description to at most 30 % of its JSON string (wrtc 36 %), audio+video to 15 %', () => {
    // Deterministic: the same input, dictionary and fflate version give the same bytes. @roamhq/wrtc's
    // candidate lines are in the dictionary's head, which its data-channel descriptions do not pack against.
    for (const [name, sdp] of Object.entries(SDPS)) {
      const share = packSdp(sdp).length / JSON.stringify(sdp).length;
      const bound = name.includes('-av-') ? 0.15 : name.startsWith('wrtc-') ? 0.36 : 0.3;
      expect(share, name).toBeLessThanOrEqual(bound);
    }
  });

  it('packs a description without audio, video or relay candidates against the dictionary tail only', () => {
    // Proof by inflating with the tail alone: a reference into the rest of the dictionary would reach before
    // the tail's first byte, which fflate refuses or fills with zeros. The whole dictionary gives the same.
    const tailOnly = Object.keys(SDPS).filter((name) => !name.includes('-av-') && !name.includes('-turn-'));
    expect(tailOnly.length).toBeGreaterThanOrEqual(7);
    for (const name of tailOnly) {
      const packed = packSdp(SDPS[name] ?? '');
      expect(inflateWith(packed, DICTIONARY_TAIL), name).toEqual(inflateWith(packed, DICTIONARY));
    }
    // Audio+video and relay candidates refer into the whole dictionary: with the tail they come out wrong.
    for (const name of ['chromium-av-offer', 'chromium-data-turn-offer']) {
      const packed = packSdp(SDPS[name] ?? '');
      const withTail = (): Uint8Array => inflateWith(packed, DICTIONARY_TAIL);
      expect(() => expect(withTail()).toEqual(inflateWith(packed, DICTIONARY)), name).toThrow();
    }
  });

  it('keeps line endings, unknown lines, non-ASCII text and a leading BOM as they were', () => {
    const lf = DATA_OFFER.replace(/\r\n/g, '\n');
    const variants = [
      lf,
      DATA_OFFER.replace('s=-', 's=Café ☕ 通話 🎥'),
      DATA_OFFER.replace('a=sctp-port:5000', 'a=x-unknown:ÿ\uffff\r\nb=AS:30\r\na=sctp-port:5000'),
      '\ufeff' + DATA_OFFER,
      DATA_OFFER.slice(0, -2),
      DATA_OFFER + '\r\n\r\n',
      '',
    ];
    for (const sdp of variants) expect(unpackSdp(packSdp(sdp))).toBe(sdp);
    expect(unpackSdp(packSdp(lf))).not.toContain('\r');
  });

  it('gives back fingerprints in any spelling, not only the uppercase pairs it packs as bytes', () => {
    const hex = DATA_OFFER.match(/a=fingerprint:sha-256 (\S+)/)?.[1] ?? '';
    expect(hex).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    const variants = [
      DATA_OFFER.replace(hex, hex.toLowerCase()),
      DATA_OFFER.replace(hex, `${hex}:AB`),
      DATA_OFFER.replace(hex, hex.slice(3)),
      DATA_OFFER.replace('sha-256', 'sha-384'),
      DATA_OFFER.replace(`sha-256 ${hex}`, `sha-256 ${hex}\r\na=fingerprint:sha-256 ${hex}`),
      `a=fingerprint:sha-256 ${hex}`,
      `xa=fingerprint:sha-256 ${hex}${hex}`,
    ];
    for (const sdp of variants) expect(unpackSdp(packSdp(sdp))).toBe(sdp);
    // The byte form is worth it: the same offer with a lowercase fingerprint, kept as hex, packs longer.
    const asHex = packSdp(DATA_OFFER.replace(hex, hex.toLowerCase())).length;
    expect(asHex).toBeGreaterThan(packSdp(DATA_OFFER).length + 30);
  });

  it('packs a description of exactly MAX_SDP_BYTES and refuses to pack a longer one', () => {
    const largest = 'a'.repeat(MAX_SDP_BYTES);
    expect(unpackSdp(packSdp(largest))).toBe(largest);
    expect(() => packSdp(`${largest}a`)).toThrow(RangeError);
    // The bound is in UTF-8 bytes: 'é' takes two.
    expect(() => packSdp('é'.repeat(MAX_SDP_BYTES / 2 + 1))).toThrow(RangeError);
  });

  it('returns undefined for empty text, a wrong alphabet and impossible lengths', () => {
    const packed = packSdp(DATA_OFFER);
    const swap = (char: string): string => `${packed.slice(0, 5)}${char}${packed.slice(6)}`;
    for (const bad of ['', ' ', 'A', '€', `${packed}=`, `${packed} `, swap('+'), swap('/'), swap('.')]) {
      expect(unpackSdp(bad), JSON.stringify(bad)).toBeUndefined();
    }
  });

  it('returns undefined for every truncation of a packing', () => {
    for (const sdp of [DATA_OFFER, SDPS['chromium-av-offer'] ?? '']) {
      const packed = packSdp(sdp);
      for (let length = 0; length < packed.length; length++)
        expect(
          unpackSdp(packed.slice(0, length)),
          `${String(length)} of ${String(packed.length)}`,
        ).toBeUndefined();
    }
  });

  it('never throws on a flipped bit, and never gives back the original for one outside the padding', () => {
    const bytes = Uint8Array.from(atob(packSdp(DATA_OFFER).replace(/-/g, '+').replace(/_/g, '/')), (c) =>
      c.charCodeAt(0),
    );
    let rejected = 0;
    for (let bit = 0; bit < bytes.length * 8; bit++) {
      const flipped = bytes.slice();
      flipped[bit >> 3] = (flipped[bit >> 3] ?? 0) ^ (1 << (bit & 7));
      const result = unpackSdp(toBase64Url(flipped));
      if (result === undefined) rejected++;
      else expect(typeof result).toBe('string');
      // Only the unused high bits of the last byte can change without changing the output.
      if (result === DATA_OFFER) expect(bit >> 3, `bit ${String(bit)}`).toBe(bytes.length - 1);
    }
    // DEFLATE has no checksum, so about two flips in three inflate to other text (the module comment says
    // why that is acceptable); the rest break the stream, the UTF-8 or a fingerprint marker.
    expect(rejected).toBeGreaterThan(bytes.length * 2);
  });

  it('stops a zip bomb: a small packing that inflates past MAX_SDP_BYTES', () => {
    const justOver = packBytes(new Uint8Array(MAX_SDP_BYTES + 1).fill(0x61));
    expect(justOver.length).toBeLessThan(1_000);
    expect(unpackSdp(justOver)).toBeUndefined();
    const huge = packBytes(new Uint8Array(16 * 1024 * 1024));
    expect(huge.length).toBeLessThan(24 * 1024);
    const push = vi.spyOn(Inflate.prototype, 'push');
    try {
      expect(unpackSdp(huge)).toBeUndefined();
      // It stopped at the bound instead of inflating all 16 MiB: only the first slice of input was read.
      expect(push).toHaveBeenCalled();
      const read = push.mock.calls.reduce((sum, [chunk]) => sum + chunk.length, 0);
      expect(read).toBeLessThanOrEqual(1024);
    } finally {
      push.mockRestore();
    }
  });

  it('returns undefined for invalid UTF-8 and for fingerprint markers that packSdp would not write', () => {
    const prefix = ascii('a=fingerprint:sha-256 ');
    const withMarker = (before: Uint8Array, rawLength: number): Uint8Array =>
      Uint8Array.from([...before, 0xff, ...new Uint8Array(rawLength).fill(0xab)]);
    expect(unpackSdp(packBytes(Uint8Array.of(0x76, 0x3d, 0xc3, 0x28)))).toBeUndefined();
    expect(unpackSdp(packBytes(Uint8Array.of(0xed, 0xa0, 0x80)))).toBeUndefined(); // a UTF-8 surrogate
    expect(unpackSdp(packBytes(withMarker(ascii('v=0 '), 32)))).toBeUndefined();
    expect(unpackSdp(packBytes(withMarker(prefix, 31)))).toBeUndefined();
    // The well-formed one is what packSdp writes, so it expands.
    const wellFormed = unpackSdp(packBytes(withMarker(prefix, 32)));
    expect(wellFormed).toBe(`a=fingerprint:sha-256 ${Array(32).fill('AB').join(':')}`);
  });

  it('round-trips any text and never throws on random or mutated packings (bounded fuzz)', () => {
    const lines = Object.values(SDPS).flatMap((sdp) => sdp.split('\r\n'));
    const sdpLike = fc
      .array(
        fc.oneof(
          fc.constantFrom(...lines),
          fc.string({ unit: 'binary' }),
          fc
            .uint8Array({ minLength: 32, maxLength: 32 })
            .map((raw) => Array.from(raw, (b) => b.toString(16).padStart(2, '0')).join(':'))
            .chain((hex) => fc.constantFrom(hex, hex.toUpperCase()))
            .map((hex) => `a=fingerprint:sha-256 ${hex}`),
        ),
        { maxLength: 40 },
      )
      .chain((parts) => fc.constantFrom(parts.join('\r\n'), parts.join('\n')));
    fc.assert(
      fc.property(sdpLike, (sdp) => unpackSdp(packSdp(sdp)) === sdp),
      { numRuns: 300, seed: 7 },
    );
    fc.assert(
      fc.property(fc.string({ unit: charsOf('AZaz09-_+/= .~'), maxLength: 600 }), (text) => {
        const result = unpackSdp(text);
        return result === undefined || typeof result === 'string';
      }),
      { numRuns: 500, seed: 7 },
    );
    const packed = packSdp(DATA_OFFER);
    fc.assert(
      fc.property(
        fc.nat(packed.length - 1),
        fc.string({ unit: charsOf('AZaz09-_'), maxLength: 8 }),
        (at, junk) => {
          const result = unpackSdp(packed.slice(0, at) + junk + packed.slice(at + junk.length));
          return result === undefined || typeof result === 'string';
        },
      ),
      { numRuns: 500, seed: 7 },
    );
  });
});

describe('packCandidates / unpackCandidates', () => {
  it('round-trips every captured batch and a single candidate, much smaller than their JSON', () => {
    for (const [name, batch] of Object.entries(CANDIDATES)) {
      for (const tuples of [batch, batch.slice(0, 1)]) {
        const packed = packCandidates(tuples);
        expect(unpackCandidates(packed), name).toEqual(tuples);
        expect(packed.length / JSON.stringify(tuples).length, name).toBeLessThanOrEqual(0.5);
      }
    }
    const nulls: CandidateTuple[] = [['', null, null, null]];
    expect(unpackCandidates(packCandidates(nulls))).toEqual(nulls);
    expect(unpackCandidates(packCandidates([]))).toEqual([]);
  });

  it('returns undefined unless the packing holds an array of exact tuples', () => {
    // packSdp writes the same format, so it can pack what a hostile sender would.
    for (const json of [
      'not json',
      '{"c":1}',
      '"candidate"',
      '[["c","0",0]]',
      '[["c","0",0,null,1]]',
      '[["c",0,0,null]]',
      '[["c","0",-1,null]]',
      '[["c","0",1.5,null]]',
      '[["c","0","0",null]]',
      '[[null,"0",0,null]]',
      '[["c","0",0,7]]',
      '[["c","0",0,null],{}]',
    ]) {
      expect(unpackCandidates(packSdp(json)), json).toBeUndefined();
    }
    expect(unpackCandidates('')).toBeUndefined();
    expect(unpackCandidates(packBytes(new Uint8Array(MAX_SDP_BYTES + 1).fill(0x20)))).toBeUndefined();
  });
});

describe('SDP_CODEC', () => {
  it('names this exact dictionary: changing it needs a new token', () => {
    expect(DICTIONARY.length).toBeLessThanOrEqual(32 * 1024); // the DEFLATE window
    const digest = createHash('sha256').update(DICTIONARY).digest('hex');
    expect({ token: SDP_CODEC, digest }).toEqual({
      token: 'z1',
      digest: '4e38a873ea4e9786f8dc3a698d03cf510b2f08f7e94b4b8dbce7391d1178c2d5',
    });
  });
});
