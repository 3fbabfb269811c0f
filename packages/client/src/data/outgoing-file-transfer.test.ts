import { describe, expect, it } from 'vitest';
import type { FileSource } from './file-source.js';
import { OutgoingFileTransfer } from './outgoing-file-transfer.js';
import { encodeTransferControl, parseTransferControl } from './transfer-protocol.js';

/** An open RTCDataChannel that takes every message at once and answers the transfer like a receiver. */
class AnsweringChannel extends EventTarget {
  readonly label = 'sbf:test';
  readonly readyState = 'open';
  readonly bufferedAmount = 0;
  bufferedAmountLowThreshold = 0;
  binaryType = 'blob';
  readonly sent: (string | Uint8Array)[] = [];

  send(data: string | Uint8Array): void {
    this.sent.push(data);
    if (typeof data !== 'string') return;
    const message = parseTransferControl(data);
    if (message?.t === 'meta') this.#answer({ t: 'accept' });
    if (message?.t === 'end') this.#answer({ t: 'done' });
  }

  close(): void {}

  #answer(message: Parameters<typeof encodeTransferControl>[0]): void {
    queueMicrotask(() =>
      this.dispatchEvent(new MessageEvent('message', { data: encodeTransferControl(message) })),
    );
  }
}

/** A source with every chunk ready at once, each costing `busyMs` of main-thread time to produce. */
function busySource(chunkCount: number, busyMs: number): FileSource {
  return {
    name: 'busy.bin',
    size: chunkCount * 1024,
    mimeType: 'application/octet-stream',
    // eslint-disable-next-line @typescript-eslint/require-await -- an async source whose data is always ready
    async *chunks() {
      for (let i = 0; i < chunkCount; i++) {
        const started = performance.now();
        while (performance.now() - started < busyMs); // the work a real read, copy and hash would do
        yield new Uint8Array(1024).fill(i);
      }
    },
  };
}

describe('OutgoingFileTransfer', () => {
  it('yields to the page between chunks when data and channel room are always ready', async () => {
    // Regression (issue 7, 131 ms main-thread gap on the bench's sender page): every await of the send
    // loop resolved as a microtask, so it sent until the channel was full without letting any task run.
    const channel = new AnsweringChannel();
    const binarySentAt: number[] = [];
    let binaryCount = 0;
    const send = channel.send.bind(channel);
    channel.send = (data) => {
      if (typeof data !== 'string') binaryCount += 1;
      send(data);
    };
    const probe = setInterval(() => binarySentAt.push(binaryCount), 0);
    const transfer = new OutgoingFileTransfer('t', channel as unknown as RTCDataChannel, busySource(12, 3), {
      chunkBytes: 1024,
      windowBytes: 1 << 20,
    });
    await transfer.result;
    clearInterval(probe);
    expect(binaryCount).toBe(12);
    // The timer ran while chunks were still being sent, not only before the first or after the last.
    expect(binarySentAt.some((count) => count > 0 && count < 12)).toBe(true);
  });
});
