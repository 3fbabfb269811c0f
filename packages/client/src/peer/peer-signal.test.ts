import { describe, expect, it } from 'vitest';
import { packedForWire, parsePeerSignal, type PeerSignal } from './peer-signal.js';
import { packSdp } from './sdp-codec.js';

describe('parsePeerSignal', () => {
  it('reads every envelope kind', () => {
    expect(parsePeerSignal({ sb: 1, k: 'sdp', t: 'offer', s: 'v=0' })).toEqual({
      sb: 1,
      k: 'sdp',
      t: 'offer',
      s: 'v=0',
    });
    expect(parsePeerSignal({ sb: 1, k: 'ice', c: [['candidate:1', '0', 0, null]], e: 1 })).toEqual({
      sb: 1,
      k: 'ice',
      c: [['candidate:1', '0', 0, null]],
      e: 1,
    });
    expect(parsePeerSignal({ sb: 1, k: 'call', op: 'invite', id: 'x', m: { video: true } })).toMatchObject({
      op: 'invite',
    });
    expect(parsePeerSignal({ sb: 1, k: 'bye' })).toEqual({ sb: 1, k: 'bye' });
  });

  it('reads the end of candidates folded into a description, and ignores any other value of e', () => {
    expect(parsePeerSignal({ sb: 1, k: 'sdp', t: 'offer', s: 'v=0', e: 1 })).toEqual({
      sb: 1,
      k: 'sdp',
      t: 'offer',
      s: 'v=0',
      e: 1,
    });
    expect(parsePeerSignal({ sb: 1, k: 'sdp', t: 'offer', s: 'v=0', e: true })).toEqual({
      sb: 1,
      k: 'sdp',
      t: 'offer',
      s: 'v=0',
    });
  });

  it('reads the link ids of sdp, ice and bye envelopes', () => {
    expect(parsePeerSignal({ sb: 1, k: 'sdp', t: 'answer', s: 'v=0', l: 'a1', r: 'b1' })).toEqual({
      sb: 1,
      k: 'sdp',
      t: 'answer',
      s: 'v=0',
      l: 'a1',
      r: 'b1',
    });
    expect(parsePeerSignal({ sb: 1, k: 'ice', c: [], l: 'a1' })).toEqual({ sb: 1, k: 'ice', c: [], l: 'a1' });
    expect(parsePeerSignal({ sb: 1, k: 'bye', l: 'a1', r: 'b1' })).toEqual({
      sb: 1,
      k: 'bye',
      l: 'a1',
      r: 'b1',
    });
    for (const bad of [{ l: 7 }, { l: '' }, { r: 'x'.repeat(65) }, { r: null }])
      expect(parsePeerSignal({ sb: 1, k: 'bye', ...bad })).toBeUndefined();
  });

  it('reads the caller-offers flag of a call envelope, and treats any other value as absent', () => {
    expect(parsePeerSignal({ sb: 1, k: 'call', op: 'invite', id: 'x', m: {}, o: 1 })).toEqual({
      sb: 1,
      k: 'call',
      op: 'invite',
      id: 'x',
      m: {},
      o: 1,
    });
    for (const o of [true, 2, '1', null])
      expect(parsePeerSignal({ sb: 1, k: 'call', op: 'invite', id: 'x', o })).toEqual({
        sb: 1,
        k: 'call',
        op: 'invite',
        id: 'x',
      });
  });

  it('leaves app signals and malformed envelopes alone (undefined)', () => {
    for (const data of [
      'text',
      null,
      { hello: 1 },
      { sb: 2, k: 'bye' },
      { sb: 1, k: 'sdp', t: 'pranswer', s: 'v=0' },
      { sb: 1, k: 'ice', c: [['c', 0, 0, null]] },
      { sb: 1, k: 'call', op: 'dance', id: 'x' },
      { sb: 1, k: 'call', op: 'invite', id: 'x', m: [1] },
    ]) {
      expect(parsePeerSignal(data)).toBeUndefined();
    }
  });

  describe('packed descriptions (z)', () => {
    const sdp = 'v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n';

    it('unpacks z into s and marks the envelope packed', () => {
      expect(parsePeerSignal({ sb: 1, k: 'sdp', t: 'answer', z: packSdp(sdp), e: 1, l: 'L' })).toEqual({
        sb: 1,
        k: 'sdp',
        t: 'answer',
        s: sdp,
        e: 1,
        packed: true,
        l: 'L',
      });
    });

    it('puts z in place of s on the wire, and leaves other envelopes as they are', () => {
      const signal: PeerSignal = { sb: 1, k: 'sdp', t: 'offer', s: sdp, l: 'L', r: 'R' };
      const wire = packedForWire(signal) as Record<string, unknown>;
      expect(wire).not.toHaveProperty('s');
      expect(wire).toMatchObject({ sb: 1, k: 'sdp', t: 'offer', l: 'L', r: 'R' });
      expect(typeof wire['z']).toBe('string');
      expect((wire['z'] as string).length).toBeLessThan(sdp.length);
      expect(parsePeerSignal(JSON.parse(JSON.stringify(wire)))).toEqual({ ...signal, packed: true });
      const end: PeerSignal = { sb: 1, k: 'ice', c: [], e: 1 };
      expect(packedForWire(end)).toBe(end);
      const bye: PeerSignal = { sb: 1, k: 'bye', l: 'L' };
      expect(packedForWire(bye)).toBe(bye);
    });

    it('packs a candidate batch into zc, and reads it back', () => {
      const ice: PeerSignal = {
        sb: 1,
        k: 'ice',
        c: [['candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host generation 0', '0', 0, 'abcd']],
        e: 1,
        l: 'L',
      };
      const wire = packedForWire(ice) as Record<string, unknown>;
      expect(wire).not.toHaveProperty('c');
      expect(typeof wire['zc']).toBe('string');
      expect(parsePeerSignal(JSON.parse(JSON.stringify(wire)))).toEqual(ice);
      expect(parsePeerSignal({ ...wire, c: ice.c })).toBeUndefined();
      expect(parsePeerSignal({ ...wire, zc: 7 })).toBeUndefined();
      expect(parsePeerSignal({ ...wire, zc: packSdp('not a batch') })).toBeUndefined();
    });

    it('sends a description past the codec’s bound plain instead of failing', () => {
      const huge: PeerSignal = { sb: 1, k: 'sdp', t: 'offer', s: `v=0\r\n${'a=x\r\n'.repeat(60_000)}` };
      expect(packedForWire(huge)).toBe(huge);
    });

    it('drops an envelope with both s and z, a z that is not text, or one that does not unpack', () => {
      expect(parsePeerSignal({ sb: 1, k: 'sdp', t: 'offer', s: sdp, z: packSdp(sdp) })).toBeUndefined();
      expect(parsePeerSignal({ sb: 1, k: 'sdp', t: 'offer', z: 42 })).toBeUndefined();
      expect(parsePeerSignal({ sb: 1, k: 'sdp', t: 'offer', z: 'not*base64url' })).toBeUndefined();
      expect(parsePeerSignal({ sb: 1, k: 'sdp', t: 'offer', z: packSdp(sdp).slice(0, 5) })).toBeUndefined();
      expect(parsePeerSignal({ sb: 1, k: 'sdp', t: 'pranswer', z: packSdp(sdp) })).toBeUndefined();
    });
  });
});
