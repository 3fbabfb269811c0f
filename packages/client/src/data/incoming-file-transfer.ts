/**
 * The receiving side of a file transfer (protocol in transfer-protocol.ts). Chunks are hashed and written
 * to the sink strictly in order, one write at a time; every `ackEveryBytes` written the receiver tells the
 * sender, which keeps at most its window unacknowledged. So a slow sink slows the sender down instead of
 * piling the file up in memory.
 */
import { SwitchboardError } from '@switchboard/protocol';
import { TypedEmitter, type Subscribable } from '../peer/typed-emitter.js';
import { blobFileSink, type FileSink } from './file-sink.js';
import type { FlowControlledDataChannel } from './flow-controlled-data-channel.js';
import type { FileTransferEvents } from './outgoing-file-transfer.js';
import { canHashChunks, createTransferHash, type TransferHash } from './transfer-hash.js';
import { TransferEnding, type StopMessage } from './transfer-ending.js';
import { encodeTransferControl, parseTransferControl } from './transfer-protocol.js';

type Phase = 'offered' | 'receiving' | 'finished';

/** A file offered by the remote peer. Call `accept()` or `decline()`. */
export class IncomingFileTransfer implements Subscribable<FileTransferEvents> {
  /** Transfer id (also in the channel label). */
  readonly id: string;
  readonly name: string;
  /** Announced size in bytes. */
  readonly size: number;
  readonly mimeType: string;
  readonly #flow: FlowControlledDataChannel;
  readonly #ackEveryBytes: number;
  readonly #events = new TypedEmitter<FileTransferEvents>();
  readonly #canSenderHashChunks: boolean;
  readonly #ending: TransferEnding;
  #hash: TransferHash | undefined;
  #phase: Phase = 'offered';
  #sink: FileSink | undefined;
  #chain: Promise<void> = Promise.resolve();
  #written = 0;
  #lastAck = 0;
  #settle: { resolve: () => void; reject: (error: SwitchboardError) => void } | undefined;

  constructor(
    id: string,
    flow: FlowControlledDataChannel,
    meta: { readonly name: string; readonly size: number; readonly mime: string; readonly h?: 1 },
    ackEveryBytes: number,
  ) {
    this.id = id;
    this.name = meta.name;
    this.size = meta.size;
    this.mimeType = meta.mime;
    this.#flow = flow;
    this.#ackEveryBytes = ackEveryBytes;
    this.#canSenderHashChunks = meta.h === 1;
    this.#ending = new TransferEnding(flow);
    flow.on('message', (data) => this.#onMessage(data));
    flow.on('close', () => {
      this.#enqueue(() =>
        this.#fail(new SwitchboardError('TRANSFER_FAILED', `The channel of "${this.name}" closed early.`)),
      );
    });
  }

  /** Bytes written to the sink so far. */
  get bytesReceived(): number {
    return this.#written;
  }

  on<K extends keyof FileTransferEvents>(event: K, listener: FileTransferEvents[K]): () => void {
    return this.#events.on(event, listener);
  }

  once<K extends keyof FileTransferEvents>(event: K, listener: FileTransferEvents[K]): () => void {
    return this.#events.once(event, listener);
  }

  /**
   * Accepts the file into `sink` (default: a Blob in memory, see `blobFileSink`). Resolves when the whole
   * file is written and its SHA-256 matched; rejects with `HASH_MISMATCH`, `TRANSFER_CANCELLED` or
   * `TRANSFER_FAILED`.
   */
  accept(sink: FileSink = blobFileSink(this.mimeType)): Promise<void> {
    if (this.#phase !== 'offered')
      return Promise.reject(new SwitchboardError('TRANSFER_FAILED', 'This transfer was already answered.'));
    this.#phase = 'receiving';
    this.#sink = sink;
    const result = new Promise<void>((resolve, reject) => {
      this.#settle = { resolve, reject };
    });
    const isChunked = this.#canSenderHashChunks && canHashChunks();
    this.#hash = createTransferHash(isChunked ? 'chunks' : 'file');
    this.#flow
      .write(encodeTransferControl(isChunked ? { t: 'accept', h: 1 } : { t: 'accept' }))
      .catch(() => undefined);
    return result;
  }

  /** Refuses the file; the sender sees `TRANSFER_CANCELLED`. */
  decline(): void {
    if (this.#phase !== 'offered') return;
    this.#phase = 'finished';
    this.#ending.stop({ t: 'cancel' });
  }

  /** Cancels a transfer in progress (or declines an offered one). */
  cancel(): void {
    if (this.#phase === 'offered') {
      this.decline();
      return;
    }
    if (this.#phase !== 'receiving') return;
    // At once, not behind the queued writes: the sender stops sending as soon as it reads this.
    this.#ending.stop({ t: 'cancel' });
    this.#enqueue(() =>
      this.#fail(new SwitchboardError('TRANSFER_CANCELLED', `The transfer of "${this.name}" was cancelled.`)),
    );
  }

  #onMessage(data: string | Uint8Array): void {
    if (typeof data !== 'string') {
      if (this.#phase === 'receiving') this.#enqueue(() => this.#write(data));
      return;
    }
    const message = parseTransferControl(data);
    // A cancel from the sender is also its answer after we ended early, so it counts after `finished`.
    if (message?.t === 'cancel' && this.#phase !== 'offered') {
      // Queued first: onPeerStop may close the channel at once, and the close queues "closed early".
      this.#enqueue(() =>
        this.#fail(new SwitchboardError('TRANSFER_CANCELLED', `The sender cancelled "${this.name}".`)),
      );
      this.#ending.onPeerStop(this.#lastAck === 0);
    } else if (message?.t === 'end' && this.#phase === 'receiving') {
      this.#enqueue(() => this.#finish(message.sha256));
    }
  }

  #enqueue(step: () => Promise<void>): void {
    this.#chain = this.#chain.then(async () => {
      if (this.#phase !== 'receiving') return;
      try {
        await step();
      } catch (error) {
        await this.#fail(
          new SwitchboardError('TRANSFER_FAILED', `Writing "${this.name}" failed.`, { cause: error }),
        );
      }
    });
  }

  async #write(chunk: Uint8Array): Promise<void> {
    if (this.#written + chunk.byteLength > this.size)
      throw new Error('The sender sent more bytes than announced.');
    this.#hash?.update(chunk);
    await this.#sink?.write(chunk);
    this.#written += chunk.byteLength;
    this.#events.emit('progress', { bytes: this.#written, totalBytes: this.size });
    // Once ending early, our stop message must stay the last thing we send (transfer-ending.ts).
    if (this.#ending.role === undefined && this.#written - this.#lastAck >= this.#ackEveryBytes) {
      this.#lastAck = this.#written;
      this.#flow.sendNow(encodeTransferControl({ t: 'ack', n: this.#written }));
    }
  }

  async #finish(expected: string): Promise<void> {
    const actual = await this.#hash?.digestHex();
    if (actual !== expected || this.#written !== this.size) {
      await this.#fail(
        new SwitchboardError('HASH_MISMATCH', `The SHA-256 of "${this.name}" does not match the sender's.`),
        { t: 'error', code: 'HASH_MISMATCH' },
      );
      return;
    }
    await this.#sink?.close();
    this.#phase = 'finished';
    this.#flow.sendNow(encodeTransferControl({ t: 'done' }));
    this.#settle?.resolve();
  }

  /**
   * Ends the transfer with `error`. The sender hears `stop` unless an ending is already under way (a cancel
   * from either side) or the channel has closed; the channel closes as transfer-ending.ts describes.
   */
  async #fail(
    error: SwitchboardError,
    stop: StopMessage = { t: 'error', code: 'TRANSFER_FAILED' },
  ): Promise<void> {
    if (this.#phase !== 'receiving') return;
    this.#phase = 'finished';
    this.#ending.stop(stop);
    try {
      await this.#sink?.abort(error);
    } finally {
      this.#settle?.reject(error);
    }
  }
}
