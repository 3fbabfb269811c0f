import { describe, expect, it } from 'vitest';
import { parsePeerSignal } from './peer-signal.js';

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
});
