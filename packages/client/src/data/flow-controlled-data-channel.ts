/**
 * An RTCDataChannel with backpressure. `send()` on a raw channel queues without limit until the browser
 * kills the channel (peerjs #291, simple-peer #895 "send queue is full"); here writes wait while
 * `bufferedAmount` is above the high watermark and resume when it falls to the low watermark, signalled by
 * `bufferedamountlow` through `bufferedAmountLowThreshold`.
 *
 * @roamhq/wrtc has neither `bufferedAmountLowThreshold` nor the event (shared/reference/lab.md quirks), so
 * when the property is missing the channel polls `bufferedAmount` every `drainPollIntervalMs`, and only
 * while a write is waiting.
 */
import { SwitchboardError } from '@switchboard/protocol';
import { TypedEmitter, type Subscribable } from '../peer/typed-emitter.js';

/** Watermarks and polling of a `FlowControlledDataChannel`. */
export interface FlowControlOptions {
  /**
   * Writes wait while the channel buffers more than this many bytes.
   * @default 1048576 (1 MiB)
   */
  readonly highWaterMarkBytes?: number;
  /**
   * Waiting writes resume when the buffer has drained to this many bytes.
   * @default 262144 (256 KiB)
   */
  readonly lowWaterMarkBytes?: number;
  /**
   * Poll interval where the implementation lacks `bufferedamountlow` (wrtc).
   * @default 5
   */
  readonly drainPollIntervalMs?: number;
}

/** Defaults of `FlowControlOptions`. */
export const FLOW_CONTROL_DEFAULTS: Required<FlowControlOptions> = {
  highWaterMarkBytes: 1024 * 1024,
  lowWaterMarkBytes: 256 * 1024,
  drainPollIntervalMs: 5,
};

/** Events of a `FlowControlledDataChannel`. */
export interface FlowControlledDataChannelEvents {
  open: () => void;
  close: () => void;
  /** A raw message: text frames as strings, binary frames as bytes. */
  message: (data: string | Uint8Array) => void;
}

interface PendingWrite {
  readonly data: string | Uint8Array;
  readonly resolve: () => void;
  readonly reject: (error: SwitchboardError) => void;
}

/** Wraps one RTCDataChannel with watermark-based flow control. */
export class FlowControlledDataChannel implements Subscribable<FlowControlledDataChannelEvents> {
  /** The wrapped channel. */
  readonly channel: RTCDataChannel;
  readonly #options: Required<FlowControlOptions>;
  readonly #events = new TypedEmitter<FlowControlledDataChannelEvents>();
  readonly #hasLowEvent: boolean;
  #queue: PendingWrite[] = [];
  #pollTimer: ReturnType<typeof setTimeout> | undefined;
  #isWritingStopped = false;
  #isClosed = false;

  constructor(channel: RTCDataChannel, options: FlowControlOptions = {}) {
    this.channel = channel;
    this.#options = { ...FLOW_CONTROL_DEFAULTS, ...options };
    this.#hasLowEvent = typeof channel.bufferedAmountLowThreshold === 'number';
    channel.binaryType = 'arraybuffer';
    if (this.#hasLowEvent) {
      channel.bufferedAmountLowThreshold = this.#options.lowWaterMarkBytes;
      channel.addEventListener('bufferedamountlow', () => this.#pump());
    }
    channel.addEventListener('open', () => {
      this.#events.emit('open');
      this.#pump();
    });
    channel.addEventListener('close', () => this.#onClose());
    channel.addEventListener('message', (event: MessageEvent<unknown>) => {
      const { data } = event;
      if (typeof data === 'string') this.#events.emit('message', data);
      else if (data instanceof ArrayBuffer) this.#events.emit('message', new Uint8Array(data));
      else if (ArrayBuffer.isView(data))
        this.#events.emit('message', new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    });
    if (channel.readyState === 'closed') queueMicrotask(() => this.#onClose());
  }

  /** The channel's label. */
  get label(): string {
    return this.channel.label;
  }

  /** Whether the channel is open. */
  get isOpen(): boolean {
    return this.channel.readyState === 'open';
  }

  /** Bytes buffered by the channel plus bytes waiting in our queue. */
  get bufferedAmount(): number {
    let queued = 0;
    for (const item of this.#queue)
      queued += typeof item.data === 'string' ? item.data.length : item.data.byteLength;
    return this.channel.bufferedAmount + queued;
  }

  on<K extends keyof FlowControlledDataChannelEvents>(
    event: K,
    listener: FlowControlledDataChannelEvents[K],
  ): () => void {
    return this.#events.on(event, listener);
  }

  once<K extends keyof FlowControlledDataChannelEvents>(
    event: K,
    listener: FlowControlledDataChannelEvents[K],
  ): () => void {
    return this.#events.once(event, listener);
  }

  /**
   * Queues `data` and resolves once it has been handed to the channel, which happens as soon as the channel
   * is open and below the high watermark. Await it to get backpressure; rejects with `CHANNEL_CLOSED`.
   */
  write(data: string | Uint8Array): Promise<void> {
    const state = this.channel.readyState;
    if (state === 'closing' || state === 'closed') {
      return Promise.reject(
        new SwitchboardError('CHANNEL_CLOSED', `Data channel "${this.label}" is closed.`),
      );
    }
    if (this.#isWritingStopped) {
      return Promise.reject(
        new SwitchboardError('CHANNEL_CLOSED', `Data channel "${this.label}" takes no more writes.`),
      );
    }
    return new Promise((resolve, reject) => {
      this.#queue.push({ data, resolve, reject });
      this.#pump();
    });
  }

  /**
   * Sends at once, ahead of queued writes and ignoring the watermarks (for small control messages such as
   * a cancel that must not wait behind megabytes of data). Returns false when the channel is not open.
   */
  sendNow(data: string): boolean {
    if (!this.isOpen) return false;
    try {
      this.channel.send(data);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Rejects queued writes, and every later `write()`, with `CHANNEL_CLOSED`; `sendNow()` still works. A
   * transfer that ends early calls this before its last control message, so that no data follows that
   * message and the peer knows, once it has read it, that nothing more is in flight (ADR 0014).
   */
  stopWriting(): void {
    this.#isWritingStopped = true;
    this.#rejectQueued(`Data channel "${this.label}" takes no more writes.`);
  }

  /** Resolves when the channel is open (at once if it is); rejects with `CHANNEL_CLOSED` if it closes first. */
  whenOpen(): Promise<void> {
    // Read once: @roamhq/wrtc updates `readyState` from its own thread, so two reads in a row can differ
    // ('connecting', then 'open'), and the second check used to take an opening channel for a closed one.
    const state = this.channel.readyState;
    if (state === 'open') return Promise.resolve();
    if (state !== 'connecting') {
      return Promise.reject(
        new SwitchboardError('CHANNEL_CLOSED', `Data channel "${this.label}" is closed.`),
      );
    }
    return new Promise((resolve, reject) => {
      const offOpen = this.once('open', () => {
        offClose();
        resolve();
      });
      const offClose = this.once('close', () => {
        offOpen();
        reject(new SwitchboardError('CHANNEL_CLOSED', `Data channel "${this.label}" closed before opening.`));
      });
    });
  }

  /**
   * Drops queued writes, lets what the channel already buffered go out (up to `timeoutMs`), then closes.
   * Closing at once would reset the stream and can discard a just-sent control message such as a cancel.
   */
  closeWhenDrained(timeoutMs = 5000): void {
    const deadline = Date.now() + timeoutMs;
    this.#rejectQueued(`Data channel "${this.label}" closed.`);
    const check = (): void => {
      if (this.channel.readyState !== 'open' || this.channel.bufferedAmount === 0 || Date.now() >= deadline)
        this.close();
      else setTimeout(check, this.#options.drainPollIntervalMs);
    };
    check();
  }

  /**
   * Leaves closing to the remote side (which closes when it reads our last control message), closing here
   * only if it has not within `timeoutMs`. Used after sending a cancel: some implementations deliver the
   * close before earlier messages, so the side that cancels must not be the one that closes.
   */
  closeAfterRemote(timeoutMs = 5000): void {
    // Already closed: the close event has fired and the listener below would never run, so the timer would
    // outlive the channel.
    if (this.#isClosed) return;
    const timer = setTimeout(() => this.close(), timeoutMs);
    this.once('close', () => clearTimeout(timer));
  }

  /** Closes the channel; queued writes are rejected. */
  close(): void {
    this.channel.close();
    this.#onClose();
  }

  #pump(): void {
    if (this.channel.readyState !== 'open') return;
    while (this.#queue.length > 0 && this.channel.bufferedAmount < this.#options.highWaterMarkBytes) {
      const item = this.#queue.shift();
      if (item === undefined) break;
      try {
        sendRaw(this.channel, item.data);
        item.resolve();
      } catch (error) {
        item.reject(
          new SwitchboardError('CHANNEL_CLOSED', `Data channel "${this.label}" refused a message.`, {
            cause: error,
          }),
        );
      }
    }
    if (this.#queue.length > 0 && !this.#hasLowEvent) this.#poll();
  }

  #poll(): void {
    if (this.#pollTimer !== undefined) return;
    this.#pollTimer = setTimeout(() => {
      this.#pollTimer = undefined;
      if (this.channel.bufferedAmount <= this.#options.lowWaterMarkBytes) this.#pump();
      else this.#poll();
    }, this.#options.drainPollIntervalMs);
  }

  #onClose(): void {
    if (this.#isClosed) return;
    this.#isClosed = true;
    if (this.#pollTimer !== undefined) clearTimeout(this.#pollTimer);
    this.#pollTimer = undefined;
    this.#rejectQueued(`Data channel "${this.label}" closed.`);
    this.#events.emit('close');
    this.#events.clear();
  }

  #rejectQueued(message: string): void {
    const queue = this.#queue;
    this.#queue = [];
    for (const item of queue) item.reject(new SwitchboardError('CHANNEL_CLOSED', message));
  }
}

/**
 * Sends one message. A view onto part of a larger buffer (Node's pooled Buffers) is copied first: some
 * implementations send the whole underlying buffer.
 */
function sendRaw(channel: RTCDataChannel, data: string | Uint8Array): void {
  if (typeof data === 'string') {
    channel.send(data);
    return;
  }
  const whole = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength ? data : data.slice();
  channel.send(whole as Uint8Array<ArrayBuffer>);
}
