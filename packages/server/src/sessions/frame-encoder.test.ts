import { describe, expect, it } from 'vitest';
import { RawJson, type SequencedServerMessage } from '@switchboard/protocol';
import { encodeFrame, isKnownAscii, withAck } from './frame-encoder.js';

describe('encodeFrame', () => {
  it("writes a relayed signal around the sender's own text of its data, never serialising it again", () => {
    const frame = { type: 'signal', seq: 7, from: 'p1', data: new RawJson('{ "sdp" : "v=0" }') } as const;
    expect(encodeFrame(frame, undefined)).toBe(
      '{"type":"signal","seq":7,"from":"p1","data":{ "sdp" : "v=0" }}',
    );
    expect(JSON.parse(encodeFrame(frame, 3))).toEqual({
      type: 'signal',
      seq: 7,
      from: 'p1',
      ack: 3,
      data: { sdp: 'v=0' },
    });
  });

  it('serialises any other frame, with the piggybacked ack as its last member', () => {
    const frame: SequencedServerMessage = {
      type: 'peer-left',
      seq: 2,
      room: 'r',
      peerId: 'p',
      reason: 'left',
    };
    expect(JSON.parse(encodeFrame(frame, 9))).toEqual({ ...frame, ack: 9 });
    expect(encodeFrame({ type: 'signal', seq: 1, from: 'p', data: [1] }, undefined)).toBe(
      '{"type":"signal","seq":1,"from":"p","data":[1]}',
    );
    expect(withAck('{"type":"pong"}', 4)).toBe('{"type":"pong","ack":4}');
  });

  it('writes the value itself when a bus serialises a frame holding raw data, and keeps it in a copy', () => {
    const frame = { type: 'signal', from: 'p', data: new RawJson(' [1, 2] ') } as const;
    expect(JSON.stringify(frame)).toBe('{"type":"signal","from":"p","data":[1,2]}');
    expect({ ...frame, seq: 1 }.data.text).toBe(' [1, 2] ');
  });

  it('vouches for ASCII only where the decoder measured it: raw signal data it found ASCII', () => {
    const signal = (data: unknown): SequencedServerMessage => ({ type: 'signal', seq: 1, from: 'p', data });
    expect(isKnownAscii(signal(new RawJson('{"a":1}', true)))).toBe(true);
    expect(isKnownAscii(signal(new RawJson('{"a":1}')))).toBe(false); // not measured: not known
    expect(isKnownAscii(signal({ a: 1 }))).toBe(false); // parsed data (a bus that stores JSON)
    expect(isKnownAscii({ type: 'peer-left', seq: 2, room: 'r', peerId: 'p', reason: 'left' })).toBe(false);
  });
});
