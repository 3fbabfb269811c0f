import { describe, expect, it } from 'vitest';
import { payloadJson, payloadKind, readStamp, SDP_EVERY } from './signal-payloads.js';

describe('signal payloads', () => {
  it('sends one SDP-like message per ten and candidates otherwise', () => {
    const kinds = Array.from({ length: 30 }, (_, n) => payloadKind(n));
    expect(kinds.filter((k) => k === 'sdp')).toHaveLength(30 / SDP_EVERY);
    expect(kinds[0]).toBe('sdp');
    expect(kinds[1]).toBe('candidate');
  });

  it('makes candidates of about 250 bytes and SDP of about 3 KB', () => {
    const candidate = payloadJson(1, 1234.5678).length;
    const sdp = payloadJson(0, 1234.5678).length;
    expect(candidate).toBeGreaterThan(220);
    expect(candidate).toBeLessThan(300);
    expect(sdp).toBeGreaterThan(2700);
    expect(sdp).toBeLessThan(3300);
  });

  it('produces valid JSON that carries its stamp back to the receiver', () => {
    for (const n of [0, 7]) {
      const parsed: unknown = JSON.parse(payloadJson(n, 42.1234567));
      expect(readStamp(parsed)).toEqual({ t: 42.123, n });
    }
  });

  it('rejects payloads without a stamp', () => {
    expect(readStamp({ n: 1 })).toBeUndefined();
    expect(readStamp('x')).toBeUndefined();
  });
});
