import { afterEach, describe, expect, it, vi } from 'vitest';
import { acceptTransferChannel } from './accept-transfer-channel.js';
import { blobFileSink } from './file-sink.js';
import { fileSourceFromBlob } from './file-source.js';
import { FlowControlledDataChannel } from './flow-controlled-data-channel.js';
import type { IncomingFileTransfer } from './incoming-file-transfer.js';
import { OutgoingFileTransfer } from './outgoing-file-transfer.js';
import { TransferEnding } from './transfer-ending.js';

/** An open RTCDataChannel stand-in that records what is sent and whether it was closed. */
class RecordingChannel extends EventTarget {
  readonly label = 'sbf:test';
  binaryType = 'blob';
  readyState: RTCDataChannelState = 'open';
  /** Above the default high watermark, so writes stay queued in the FlowControlledDataChannel. */
  bufferedAmount = 4 * 1024 * 1024;
  readonly sent: unknown[] = [];
  closeCalls = 0;

  send(data: unknown): void {
    this.sent.push(data);
  }

  close(): void {
    this.closeCalls += 1;
    this.readyState = 'closed';
  }

  /** The remote side closed the channel. */
  closeFromRemote(): void {
    this.readyState = 'closed';
    this.dispatchEvent(new Event('close'));
  }
}

function setup(): { raw: RecordingChannel; flow: FlowControlledDataChannel; ending: TransferEnding } {
  const raw = new RecordingChannel();
  const flow = new FlowControlledDataChannel(raw as unknown as RTCDataChannel, { drainPollIntervalMs: 1 });
  return { raw, flow, ending: new TransferEnding(flow, 5000) };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('TransferEnding', () => {
  it('sends the stop message last, with queued data dropped, and closes only on the answer', async () => {
    // Regression (file-transfer.webrtc.test.ts, about 1 run in 15 under CPU load): the sender closed the
    // channel as soon as a receiver's cancel arrived, with its chunks still in flight. The peer deferred the
    // stream reset, the next transfer reused the stream id and stalled, and the receiver aborted the SCTP
    // association, closing every channel of the link.
    const { raw, flow, ending } = setup();
    const queued = flow.write(new Uint8Array(16));
    ending.stop({ t: 'cancel' });
    await expect(queued).rejects.toMatchObject({ code: 'CHANNEL_CLOSED' });
    expect(raw.sent).toEqual(['{"t":"cancel"}']);
    expect(raw.closeCalls).toBe(0);
    ending.onPeerStop(false);
    expect(raw.closeCalls).toBe(1);
  });

  it('answers a stop from the peer, stops writing, and leaves the close to the peer', async () => {
    const { raw, flow, ending } = setup();
    const queued = flow.write(new Uint8Array(16));
    ending.onPeerStop(false);
    await expect(queued).rejects.toMatchObject({ code: 'CHANNEL_CLOSED' });
    await expect(flow.write(new Uint8Array(16))).rejects.toMatchObject({ code: 'CHANNEL_CLOSED' });
    expect(ending.role).toBe('responder');
    expect(raw.sent).toEqual(['{"t":"cancel"}']);
    expect(raw.closeCalls).toBe(0);
    raw.closeFromRemote();
    expect(raw.closeCalls).toBe(0);
  });

  it('closes at once when this side has nothing the peer may still be reading', () => {
    const { raw, ending } = setup();
    raw.bufferedAmount = 0;
    ending.onPeerStop(true);
    expect(raw.closeCalls).toBe(1);
  });

  it('closes after the timeout when the peer neither answers nor closes (an older SDK)', () => {
    vi.useFakeTimers();
    const { raw, ending } = setup();
    ending.stop({ t: 'error', code: 'TRANSFER_FAILED' });
    vi.advanceTimersByTime(4999);
    expect(raw.closeCalls).toBe(0);
    vi.advanceTimersByTime(1);
    expect(raw.closeCalls).toBe(1);
  });

  it('keeps the first ending: a later stop or a repeated peer stop sends nothing more', () => {
    const { raw, ending } = setup();
    ending.onPeerStop(false);
    ending.stop({ t: 'cancel' });
    ending.onPeerStop(false);
    expect(ending.role).toBe('responder');
    expect(raw.sent).toEqual(['{"t":"cancel"}']);
    expect(raw.closeCalls).toBe(0);
  });
});

/**
 * One end of an in-memory channel pair: a message arrives on a later macrotask, and `bufferedAmount` counts
 * the bytes still on their way, so the sender's flow control really waits. `log` records, in order, every
 * message sent and every close() call of both ends.
 */
class LinkedChannel extends EventTarget {
  readonly label = 'sbf:linked';
  binaryType = 'blob';
  readyState: RTCDataChannelState = 'open';
  bufferedAmount = 0;
  peer: LinkedChannel | undefined;

  constructor(
    readonly side: 'sender' | 'receiver',
    readonly log: string[],
  ) {
    super();
  }

  send(data: string | Uint8Array): void {
    const size = typeof data === 'string' ? data.length : data.byteLength;
    const copy = typeof data === 'string' ? data : data.slice().buffer;
    this.log.push(`${this.side} sends ${typeof data === 'string' ? data : 'bytes'}`);
    this.bufferedAmount += size;
    setTimeout(() => {
      this.bufferedAmount -= size;
      if (this.peer?.readyState === 'open')
        this.peer.dispatchEvent(new MessageEvent('message', { data: copy }));
    }, 0);
  }

  close(): void {
    if (this.readyState !== 'open') return;
    this.log.push(`${this.side} closes`);
    for (const end of [this, this.peer]) {
      if (end === undefined) continue;
      end.readyState = 'closed';
      setTimeout(() => end.dispatchEvent(new Event('close')), 0);
    }
  }
}

/** Starts a 2 MiB transfer over a LinkedChannel pair, in 64 KiB chunks, acknowledged every 256 KiB. */
async function startTransfer(): Promise<{
  log: string[];
  outgoing: OutgoingFileTransfer;
  incoming: IncomingFileTransfer;
  received: Promise<void>;
  closed: Promise<unknown>;
}> {
  const log: string[] = [];
  const sender = new LinkedChannel('sender', log);
  const receiver = new LinkedChannel('receiver', log);
  sender.peer = receiver;
  receiver.peer = sender;
  const closed = Promise.all(
    [sender, receiver].map(
      (end) => new Promise((resolve) => end.addEventListener('close', resolve, { once: true })),
    ),
  );
  const flowControl = {
    highWaterMarkBytes: 256 * 1024,
    lowWaterMarkBytes: 64 * 1024,
    drainPollIntervalMs: 1,
  };
  const offered = new Promise<IncomingFileTransfer>((resolve) => {
    acceptTransferChannel(
      receiver as unknown as RTCDataChannel,
      { flowControl, ackEveryBytes: 256 * 1024 },
      resolve,
    );
  });
  const file = new Blob([new Uint8Array(2 * 1024 * 1024)]);
  const outgoing = new OutgoingFileTransfer(
    'linked',
    sender as unknown as RTCDataChannel,
    fileSourceFromBlob(file, 'f'),
    {
      ...flowControl,
      chunkBytes: 64 * 1024,
      windowBytes: 1024 * 1024,
    },
  );
  const incoming = await offered;
  const received = incoming.accept(blobFileSink());
  return { log, outgoing, incoming, received, closed };
}

/** The log once both ends have seen the close, plus one macrotask for anything the close itself set off. */
async function settled(log: string[], closed: Promise<unknown>): Promise<string[]> {
  await closed;
  await new Promise((resolve) => setImmediate(resolve));
  return log;
}

describe('file transfers that end early', () => {
  it('a receiver cancel: the sender stops and answers, and the receiver closes once it reads the answer', async () => {
    const { log, outgoing, incoming, received, closed } = await startTransfer();
    incoming.once('progress', () => incoming.cancel());
    await expect(received).rejects.toMatchObject({ code: 'TRANSFER_CANCELLED' });
    await expect(outgoing.result).rejects.toMatchObject({ code: 'TRANSFER_CANCELLED' });
    const entries = await settled(log, closed);
    const answer = entries.lastIndexOf('sender sends {"t":"cancel"}');
    expect(answer).toBeGreaterThan(entries.indexOf('receiver sends {"t":"cancel"}'));
    // The sender, whose chunks may be in flight, never closes first; nothing follows its answer.
    expect(entries.slice(answer + 1)).toEqual(['receiver closes']);
  });

  it('a sender cancel: no chunk follows the cancel, and the sender closes only after the answer', async () => {
    const { log, outgoing, incoming, received, closed } = await startTransfer();
    // Past the first acknowledgement, so the receiver has sent something the sender may still be reading.
    outgoing.on('progress', (p) => {
      if (p.bytes >= 512 * 1024) outgoing.cancel();
    });
    await expect(received).rejects.toMatchObject({ code: 'TRANSFER_CANCELLED' });
    await expect(outgoing.result).rejects.toMatchObject({ code: 'TRANSFER_CANCELLED' });
    const entries = await settled(log, closed);
    const after = entries.slice(entries.indexOf('sender sends {"t":"cancel"}') + 1);
    expect(after.filter((entry) => entry.startsWith('sender sends'))).toEqual([]);
    // An acknowledgement already under way may come first; the answer is the receiver's last message.
    expect(after.slice(-2)).toEqual(['receiver sends {"t":"cancel"}', 'sender closes']);
    expect(incoming.bytesReceived).toBeLessThan(2 * 1024 * 1024);
  });
});
