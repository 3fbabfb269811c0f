import { describe, expect, it } from 'vitest';
import type { SequencedServerMessage } from '@switchboard/protocol';
import { DATA_TEXT, encodeFrame, withAck } from './frame-encoder.js';

describe('encodeFrame', () => {
  it("writes a relayed signal around the sender's own text of its data, never serialising it again", () => {
    const data = { sdp: 'v=0' };
    const frame = { type: 'signal', seq: 7, from: 'p1', data, [DATA_TEXT]: '{ "sdp" : "v=0" }' } as const;
    expect(encodeFrame(frame, undefined)).toBe(
      '{"type":"signal","seq":7,"from":"p1","data":{ "sdp" : "v=0" }}',
    );
    expect(JSON.parse(encodeFrame(frame, 3))).toEqual({ type: 'signal', seq: 7, from: 'p1', ack: 3, data });
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

  it('keeps the text out of what a bus would serialise, and in the outbox copy', () => {
    const frame = { type: 'signal', from: 'p', data: 1, [DATA_TEXT]: '1' } as const;
    expect(JSON.stringify(frame)).toBe('{"type":"signal","from":"p","data":1}');
    expect({ ...frame, seq: 1 }[DATA_TEXT]).toBe('1');
  });
});
