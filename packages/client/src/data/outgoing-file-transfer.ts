/**
 * The sending side of a file transfer (protocol in transfer-protocol.ts). It reads the source one chunk at
 * a time, hashes as it goes, and waits on two kinds of backpressure: the channel's watermarks (local
 * buffer) and the receiver's acknowledgements (at most `windowBytes` unacknowledged), so neither side ever
 * holds the whole file.
 */
import { SwitchboardError } from '@switchboard/protocol';
import { TypedEmitter, type Subscribable } from '../peer/typed-emitter.js';
import { FlowControlledDataChannel, type FlowControlOptions } from './flow-controlled-data-channel.js';
import type { FileSource } from './file-source.js';
import { TaskBudget } from './task-budget.js';
import { canHashChunks, createTransferHash } from './transfer-hash.js';
import { TransferEnding } from './transfer-ending.js';
import {
  encodeTransferControl,
  parseTransferControl,
  type TransferControl,
  type TransferProgress,
} from './transfer-protocol.js';

/** Events of a transfer, on either side. */
export interface FileTransferEvents {
  /** More bytes were sent (sender) or written (receiver). `bytes` never decreases. */
  progress: (progress: TransferProgress) => void;
}

/** Settings of an outgoing transfer. */
export interface OutgoingFileTransferSettings extends FlowControlOptions {
  /** Bytes per data channel message. */
  readonly chunkBytes: number;
  /** The most bytes sent but not yet acknowledged by the receiver. */
  readonly windowBytes: number;
}

/**
 * Watermarks of a transfer's channel unless the link sets its own (`flowControl`). Higher than a named
 * channel's: a transfer is one bulk stream, and when the page is busy or descheduled the channel must not
 * run dry before the next refill. With 256 KiB left at `bufferedamountlow`, a loopback link at ~15 MiB/s
 * idles after ~17 ms; with 1 MiB it has ~65 ms. The same watermarks as the bare loop the bench compares
 * against (issue 7); the refill is spread over several tasks (task-budget.ts), so the page stays responsive.
 */
export const TRANSFER_FLOW_CONTROL_DEFAULTS: Required<
  Pick<FlowControlOptions, 'highWaterMarkBytes' | 'lowWaterMarkBytes'>
> = {
  highWaterMarkBytes: 4 * 1024 * 1024,
  lowWaterMarkBytes: 1024 * 1024,
};

/** A file being sent. `result` settles when the receiver confirmed the hash, or the transfer failed. */
export class OutgoingFileTransfer implements Subscribable<FileTransferEvents> {
  /** Transfer id (also in the channel label). */
  readonly id: string;
  readonly name: string;
  readonly size: number;
  /** Resolves when the receiver has the whole file and its hash matched; rejects with a SwitchboardError. */
  readonly result: Promise<void>;
  readonly #flow: FlowControlledDataChannel;
  readonly #source: FileSource;
  readonly #settings: OutgoingFileTransferSettings;
  readonly #events = new TypedEmitter<FileTransferEvents>();
  readonly #ending: TransferEnding;
  #control: TransferControl[] = [];
  #wake: (() => void) | undefined;
  #acked = 0;
  #sent = 0;
  /** Set before the first chunk is handed over, so it never claims a quiet channel too early. */
  #hasSentBytes = false;
  #isCancelled = false;
  #isClosed = false;

  constructor(
    id: string,
    channel: RTCDataChannel,
    source: FileSource,
    settings: OutgoingFileTransferSettings,
  ) {
    this.id = id;
    this.name = source.name;
    this.size = source.size;
    this.#source = source;
    this.#settings = settings;
    this.#flow = new FlowControlledDataChannel(channel, { ...TRANSFER_FLOW_CONTROL_DEFAULTS, ...settings });
    this.#ending = new TransferEnding(this.#flow);
    this.#flow.on('message', (data) => {
      if (typeof data !== 'string') return;
      const message = parseTransferControl(data);
      if (message === undefined) return;
      if (message.t === 'ack') this.#acked = Math.max(this.#acked, message.n);
      else this.#control.push(message);
      if (message.t === 'cancel' || message.t === 'error') this.#ending.onPeerStop(!this.#hasSentBytes);
      this.#notify();
    });
    this.#flow.on('close', () => {
      this.#isClosed = true;
      this.#notify();
    });
    this.result = this.#run();
    // The app may never await `result`; a failure is still reported through it, not as an unhandled rejection.
    this.result.catch(() => undefined);
  }

  /** Bytes handed to the channel so far. */
  get bytesSent(): number {
    return this.#sent;
  }

  on<K extends keyof FileTransferEvents>(event: K, listener: FileTransferEvents[K]): () => void {
    return this.#events.on(event, listener);
  }

  once<K extends keyof FileTransferEvents>(event: K, listener: FileTransferEvents[K]): () => void {
    return this.#events.once(event, listener);
  }

  /** Cancels the transfer; the receiver sees `TRANSFER_CANCELLED`. */
  cancel(): void {
    if (this.#isCancelled || this.#isClosed) return;
    this.#isCancelled = true;
    this.#ending.stop({ t: 'cancel' });
    this.#notify();
  }

  async #run(): Promise<void> {
    let isConfirmed = false;
    try {
      await this.#flow.whenOpen();
      const { name, size, mimeType } = this.#source;
      const canChunk = canHashChunks();
      await this.#flow.write(
        encodeTransferControl(
          canChunk
            ? { t: 'meta', name, size, mime: mimeType, h: 1 }
            : { t: 'meta', name, size, mime: mimeType },
        ),
      );
      const answer = await this.#nextControl();
      if (answer.t !== 'accept') throw this.#failure(answer);
      const hash = createTransferHash(canChunk && answer.h === 1 ? 'chunks' : 'file');
      const budget = new TaskBudget();
      for await (const chunk of this.#source.chunks(this.#settings.chunkBytes)) {
        // Ready data and room in the channel resolve every await below as a microtask: without this the
        // loop would send until the channel is full in one task and block the page (task-budget.ts).
        if (budget.isSpent()) await budget.nextTask();
        while (this.#sent - this.#acked > this.#settings.windowBytes) await this.#waitForWake();
        this.#throwIfStopped();
        hash.update(chunk);
        this.#hasSentBytes = true;
        await this.#flow.write(chunk);
        this.#sent += chunk.byteLength;
        this.#events.emit('progress', { bytes: this.#sent, totalBytes: this.size });
      }
      if (this.#sent !== this.size) {
        throw new SwitchboardError(
          'TRANSFER_FAILED',
          `The source yielded ${this.#sent} bytes, not the announced ${this.size}.`,
        );
      }
      await this.#flow.write(encodeTransferControl({ t: 'end', sha256: await hash.digestHex() }));
      const outcome = await this.#nextControl();
      if (outcome.t !== 'done') throw this.#failure(outcome);
      isConfirmed = true;
    } catch (error) {
      // A write that stopWriting() discarded rejects with CHANNEL_CLOSED; the cancel or error behind it is
      // the news.
      if (error instanceof SwitchboardError && error.code === 'CHANNEL_CLOSED')
        throw this.#stopReason() ?? error;
      throw error instanceof SwitchboardError
        ? error
        : new SwitchboardError('TRANSFER_FAILED', `Sending "${this.name}" failed.`, { cause: error });
    } finally {
      // After `done` the receiver has read everything, so the channel is quiet. Any other way out ends
      // early: tell the receiver (a no-op when an ending is already under way) and close once it answers.
      if (isConfirmed) this.#flow.closeWhenDrained();
      else this.#ending.stop({ t: 'cancel' });
    }
  }

  #failure(message: TransferControl): SwitchboardError {
    if (message.t === 'cancel')
      return new SwitchboardError('TRANSFER_CANCELLED', `The receiver cancelled "${this.name}".`);
    if (message.t === 'error' && message.code === 'HASH_MISMATCH') {
      return new SwitchboardError('HASH_MISMATCH', `The receiver's SHA-256 of "${this.name}" differs.`);
    }
    return new SwitchboardError('TRANSFER_FAILED', `The receiver reported a failure for "${this.name}".`);
  }

  async #nextControl(): Promise<TransferControl> {
    for (;;) {
      const next = this.#control.shift();
      if (next !== undefined) return next;
      this.#throwIfStopped();
      await this.#waitForWake();
    }
  }

  #throwIfStopped(): void {
    const stopped = this.#stopReason();
    if (stopped !== undefined) throw stopped;
    if (this.#isClosed)
      throw new SwitchboardError('TRANSFER_FAILED', `The channel of "${this.name}" closed.`);
  }

  /** The error for a transfer that either side ended early, if one did. */
  #stopReason(): SwitchboardError | undefined {
    if (this.#isCancelled || this.#control.some((m) => m.t === 'cancel')) {
      return new SwitchboardError('TRANSFER_CANCELLED', `The transfer of "${this.name}" was cancelled.`);
    }
    const error = this.#control.find((m) => m.t === 'error');
    return error === undefined ? undefined : this.#failure(error);
  }

  #waitForWake(): Promise<void> {
    return new Promise((resolve) => {
      this.#wake = resolve;
    });
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}
