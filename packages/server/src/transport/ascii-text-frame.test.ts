import { Writable } from 'node:stream';
import * as wsModule from 'ws';
import { describe, expect, it } from 'vitest';
import { asciiTextFrame } from './ascii-text-frame.js';

// ws's frame parser, which its client uses on every frame it reads; @types/ws does not declare it.
const { Receiver } = wsModule as unknown as {
  Receiver: new (options: { isServer: boolean }) => Writable;
};

/** What a real WebSocket client (ws's own receiver) reads from `bytes`. */
function receive(bytes: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const receiver = new Receiver({ isServer: false });
    receiver.on('message', (data: Buffer, isBinary: boolean) =>
      isBinary ? reject(new Error('binary frame')) : resolve(data.toString('utf8')),
    );
    receiver.on('error', reject);
    receiver.write(bytes);
  });
}

describe('asciiTextFrame', () => {
  it.each([0, 1, 125, 126, 127, 3000, 65_535])(
    'frames %i ASCII bytes so a client reads them back',
    async (n) => {
      const payload = Array.from({ length: n }, (_, i) => String.fromCharCode(32 + (i % 95))).join('');
      const frame = asciiTextFrame(payload);
      expect(frame).toBeDefined();
      const bytes = Buffer.from(frame!, 'latin1');
      expect(bytes[0]).toBe(0x81);
      expect(bytes.length).toBe(n + (n < 126 ? 2 : 4));
      expect(await receive(bytes)).toBe(payload);
    },
  );

  it('leaves non-ASCII payloads and payloads over 65,535 bytes to ws', () => {
    expect(asciiTextFrame('{"nickname":"Zoë"}')).toBeUndefined();
    expect(asciiTextFrame('{"x":"\u00ff"}')).toBeUndefined(); // Latin-1 but not ASCII: 2 bytes in UTF-8
    expect(asciiTextFrame('{"x":"😀"}')).toBeUndefined();
    expect(asciiTextFrame('a'.repeat(65_536))).toBeUndefined();
  });

  it('frames a payload the caller vouches is ASCII without measuring it, and still caps the length', async () => {
    const payload = `{"type":"signal","seq":1,"from":"p","data":${JSON.stringify('x'.repeat(300))}}`;
    const frame = asciiTextFrame(payload, true);
    expect(frame).toBe(asciiTextFrame(payload));
    expect(await receive(Buffer.from(frame!, 'latin1'))).toBe(payload);
    expect(asciiTextFrame('x'.repeat(65_536), true)).toBeUndefined();
  });
});
