/**
 * Hands relayed signals to the client's `signal` listeners, and keeps those that arrive while there is none
 * (an app that joins a room before it creates its PeerManager, say), so that nothing is lost without a
 * word: they wait in an `EarlySignalBuffer`, bounded in count and age, and go to the first listener, in
 * order; what is given up is reported through `signal-dropped` (ADR 0010).
 *
 * Invariant: signals reach listeners in arrival order. A signal that arrives while older ones still wait
 * for their replay (a listener subscribed inside a burst of frames, before the replay ran) queues behind
 * them instead of overtaking them.
 */
import { EarlySignalBuffer, type EarlyDropReason } from './early-signal-buffer.js';
import type { SignalingClientEvents } from './signaling-client-events.js';
import type { TypedEventEmitter } from './typed-event-emitter.js';

/** A signal the client gave up before any listener took it, and why. */
export interface DroppedClientSignal {
  /** The sender, as stamped by the server. */
  readonly from: string;
  /** `overflow`: `maxEarlySignals` newer ones were waiting; `expired`: it waited `maxEarlySignalAgeMs`. */
  readonly reason: EarlyDropReason;
}

/** Bounds of the inbox. */
export interface SignalInboxOptions {
  readonly maxCount: number;
  readonly maxAgeMs: number;
}

interface EarlyClientSignal {
  readonly from: string;
  readonly data: unknown;
}

/** Delivers `signal` events, holding them while nobody listens. */
export class SignalInbox {
  readonly #events: TypedEventEmitter<SignalingClientEvents>;
  readonly #early: EarlySignalBuffer<EarlyClientSignal>;
  #isReplayScheduled = false;

  constructor(events: TypedEventEmitter<SignalingClientEvents>, options: SignalInboxOptions) {
    this.#events = events;
    this.#early = new EarlySignalBuffer({
      maxCount: options.maxCount,
      maxAgeMs: options.maxAgeMs,
      onDrop: ({ from }, reason) => this.#events.emit('signal-dropped', { from, reason }),
    });
  }

  /** A relayed signal arrived: to the listeners now, or held until one subscribes. */
  deliver(from: string, data: unknown): void {
    if (this.#early.size === 0 && this.#hasListener()) {
      this.#events.emit('signal', from, data);
      return;
    }
    this.#early.push({ from, data });
    if (this.#hasListener()) this.#scheduleReplay();
  }

  /** A `signal` listener was added: replay what waits, after the caller's `on()` has returned. */
  listenerAdded(): void {
    if (this.#early.size > 0) this.#scheduleReplay();
  }

  /** Forget what waits without reporting it: the client was closed, so nobody will listen. */
  clear(): void {
    this.#early.clear();
  }

  #scheduleReplay(): void {
    if (this.#isReplayScheduled) return;
    this.#isReplayScheduled = true;
    // A microtask: a listener never runs inside its own on() call. Frames of the same burst that come
    // before it queue behind what waits (see `deliver`).
    queueMicrotask(() => {
      this.#isReplayScheduled = false;
      // One at a time: a `once` listener takes one, and the rest wait for the next listener.
      while (this.#hasListener()) {
        const next = this.#early.shift();
        if (next === undefined) return;
        this.#events.emit('signal', next.from, next.data);
      }
    });
  }

  #hasListener(): boolean {
    return this.#events.listenerCount('signal') > 0;
  }
}
