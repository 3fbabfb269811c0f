import { describe, expect, it } from 'vitest';
import { encodeChatFrame, parseChatFrame } from './chat-protocol.js';

describe('parseChatFrame', () => {
  it('round-trips a message and an ack', () => {
    const message = { t: 'msg', id: 'a1', text: 'hello', at: 1 } as const;
    expect(parseChatFrame(encodeChatFrame(message))).toEqual(message);
    expect(parseChatFrame(encodeChatFrame({ t: 'ack', id: 'a1' }))).toEqual({ t: 'ack', id: 'a1' });
  });

  it('rejects malformed frames instead of throwing', () => {
    expect(parseChatFrame('not json')).toBeUndefined();
    expect(parseChatFrame('null')).toBeUndefined();
    expect(parseChatFrame('{"t":"msg","id":"x","text":5,"at":1}')).toBeUndefined();
    expect(
      parseChatFrame(JSON.stringify({ t: 'msg', id: 'x', text: 'y'.repeat(4001), at: 1 })),
    ).toBeUndefined();
  });
});
