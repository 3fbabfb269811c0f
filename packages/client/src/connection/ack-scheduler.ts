/**
 * Delayed, coalesced acknowledgement of server frames. Acking each frame would double the frame count on a
 * busy socket; waiting up to `ackDelayMs` lets one `ack` cover a burst, and a request going out meanwhile
 * carries the ack for free (`takePiggyback`).
 */
import type { InboundSequencer } from './inbound-sequencer.js';

/** What the scheduler needs from its owner. */
export interface AckSchedulerOptions {
  readonly inbound: InboundSequencer;
  /** The delay to use now (the server's `limits.ackDelayMs` may change with each welcome). */
  readonly delayMs: () => number;
  /** Send an ack frame if the socket is usable; returns false when it is not. */
  readonly canSend: () => boolean;
  readonly send: (text: string) => void;
}

/** Sends `ack{seq}` for processed frames, at most one per delay window. */
export class AckScheduler {
  readonly #options: AckSchedulerOptions;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: AckSchedulerOptions) {
    this.#options = options;
  }

  /** A frame was processed: make sure an ack goes out within the delay. */
  schedule(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (!this.#options.canSend()) return;
      const seq = this.#options.inbound.takeAck();
      if (seq !== undefined) this.#options.send(JSON.stringify({ type: 'ack', seq }));
    }, this.#options.delayMs());
  }

  /** The seq to piggyback on an outgoing request, if anything is unacknowledged. */
  takePiggyback(): number | undefined {
    return this.#options.inbound.takeAck();
  }

  /** The socket went down: the resume's `lastSeq` will acknowledge what is pending. */
  cancel(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
