import { describe, expect, it } from 'vitest';
import { decodeManualCode, encodeManualCode } from './manual-codec.js';

const SDP = [
  'v=0',
  'o=- 4611731400430051336 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0',
  'm=application 9 UDP/DTLS/SCTP webrtc-datachannel',
  'c=IN IP4 0.0.0.0',
  'a=candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host generation 0',
  'a=ice-ufrag:abcd',
  'a=ice-pwd:0123456789abcdefghijklmn',
  'a=fingerprint:sha-256 AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99',
  'a=setup:actpass',
  'a=mid:0',
  'a=sctp-port:5000',
  '',
].join('\r\n');

describe('manual codec', () => {
  it('round-trips an offer and an answer through URL-safe text shorter than the SDP', () => {
    for (const type of ['offer', 'answer'] as const) {
      const code = encodeManualCode({ type, sdp: SDP });
      expect(code).toMatch(/^SB1[OA]\.[A-Za-z0-9_-]+$/);
      expect(code.length).toBeLessThan(SDP.length);
      expect(decodeManualCode(code, type)).toEqual({ type, sdp: SDP });
    }
  });

  it('accepts a code wrapped over lines, or as the fragment of a link', () => {
    const code = encodeManualCode({ type: 'offer', sdp: SDP });
    const wrapped = code.replace(/(.{40})/g, '$1\n  ');
    expect(decodeManualCode(wrapped).sdp).toBe(SDP);
    expect(decodeManualCode(`https://example.test/manual#${code}`).sdp).toBe(SDP);
  });

  it('rejects corrupted, truncated, foreign and wrong-kind text with MANUAL_CODE_INVALID', () => {
    const code = encodeManualCode({ type: 'offer', sdp: SDP });
    const middle = Math.floor(code.length / 2);
    const flipped = code.slice(0, middle) + (code[middle] === 'A' ? 'B' : 'A') + code.slice(middle + 1);
    for (const bad of [flipped, code.slice(0, -5), 'hello', 'SB1X.abc', `${code}!`, '']) {
      expect(() => decodeManualCode(bad)).toThrow(expect.objectContaining({ code: 'MANUAL_CODE_INVALID' }));
    }
    expect(() => decodeManualCode(code, 'answer')).toThrow(
      expect.objectContaining({ code: 'MANUAL_CODE_INVALID' }),
    );
  });

  it('never decodes a code with any single character changed into a different description', () => {
    const code = encodeManualCode({ type: 'answer', sdp: SDP });
    for (let i = 5; i < code.length; i++) {
      const mangled = code.slice(0, i) + (code[i] === 'x' ? 'y' : 'x') + code.slice(i + 1);
      let decoded: string | undefined;
      try {
        decoded = decodeManualCode(mangled).sdp;
      } catch (error) {
        expect(error).toMatchObject({ code: 'MANUAL_CODE_INVALID' });
        continue;
      }
      // Only the unused low bits of the last base64 character may change without changing the bytes.
      expect(decoded).toBe(SDP);
    }
  });
});
