import { describe, expect, it } from 'vitest';
import { encodeMessage, MessageReassembler, type ChannelMessage } from './message-framing.js';

function roundTrip(
  message: ChannelMessage,
  maxFrameBytes: number,
): { frames: number; out: ChannelMessage[] } {
  const frames = encodeMessage(message, maxFrameBytes);
  const reassembler = new MessageReassembler(1 << 24);
  const out: ChannelMessage[] = [];
  for (const frame of frames) {
    expect(frame.byteLength).toBeLessThanOrEqual(maxFrameBytes);
    const done = reassembler.push(frame);
    if (done !== undefined) out.push(done);
  }
  return { frames: frames.length, out };
}

describe('message framing', () => {
  it('round-trips text, JSON and binary in one frame when they fit', () => {
    for (const message of [
      { kind: 'text', text: 'héllo ✓' },
      { kind: 'json', value: { a: [1, 2, { b: null }] } },
      { kind: 'binary', data: new Uint8Array([0, 1, 255]) },
    ] as const) {
      expect(roundTrip(message, 1024)).toEqual({ frames: 1, out: [message] });
    }
  });

  it('splits a message larger than the frame limit and reassembles it exactly', () => {
    const data = new Uint8Array(10_000).map((_, i) => (i * 7) % 256);
    const { frames, out } = roundTrip({ kind: 'binary', data }, 1000);
    expect(frames).toBe(Math.ceil(10_000 / 999));
    expect(out).toEqual([{ kind: 'binary', data }]);
  });

  it('round-trips an empty message', () => {
    expect(roundTrip({ kind: 'text', text: '' }, 16).out).toEqual([{ kind: 'text', text: '' }]);
  });

  it('refuses a message above the size cap with CHANNEL_MESSAGE_INVALID', () => {
    const reassembler = new MessageReassembler(10);
    const frames = encodeMessage({ kind: 'binary', data: new Uint8Array(30) }, 8);
    expect(() => frames.forEach((f) => reassembler.push(f))).toThrow(
      expect.objectContaining({ code: 'CHANNEL_MESSAGE_INVALID' }),
    );
  });

  it('refuses an unknown header and invalid UTF-8, and stays usable afterwards', () => {
    const reassembler = new MessageReassembler(100);
    expect(() => reassembler.push(new Uint8Array([0x03, 1]))).toThrow(
      expect.objectContaining({ code: 'CHANNEL_MESSAGE_INVALID' }),
    );
    expect(() => reassembler.push(new Uint8Array([0x00, 0xff, 0xfe]))).toThrow(
      expect.objectContaining({ code: 'CHANNEL_MESSAGE_INVALID' }),
    );
    expect(() => reassembler.push(new Uint8Array([0x02, 0x7b]))).toThrow(
      expect.objectContaining({ code: 'CHANNEL_MESSAGE_INVALID' }),
    );
    expect(reassembler.push(encodeMessage({ kind: 'text', text: 'ok' }, 100)[0]!)).toEqual({
      kind: 'text',
      text: 'ok',
    });
  });
});
