/**
 * Delayed, coalesced acknowledgement of server frames. Acking each frame would double the frame count on a
 * busy socket. So an ack rides on the next request when there is one (`takePiggyback`), and a standalone
 * `ack` goes out only when the client has been quiet for `delayMs` after a frame, or once `everyFrames`
 * frames wait unacknowledged (which bounds what the server holds in the session's outbox for us).
 */
import type { InboundSequencer } from './inbound-sequencer.js';

/** What the scheduler needs from its owner. */
export interface AckSchedulerOptions {
  readonly inbound: InboundSequencer;
  /** The delay to use now (the server's `limits.ackDelayMs` may change with each welcome). */
  readonly delayMs: () => number;
  /** Ack at once when this many processed frames wait unacknowledged. @default Infinity */
  readonly everyFrames?: () => number;
  /** Send an ack frame if the socket is usable; returns false when it is not. */
  readonly canSend: () => boolean;
  readonly send: (text: string) => void;
}

/** Sends `ack{seq}` for processed frames, at most one per delay window unless frames pile up. */
export class AckScheduler {
  readonly #options: AckSchedulerOptions;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** Frames processed since the last ack went out (standalone or piggybacked). */
  #unacked = 0;

  constructor(options: AckSchedulerOptions) {
    this.#options = options;
  }

  /** A frame was processed: make sure an ack goes out within the delay, or now if frames piled up. */
  schedule(): void {
    this.#unacked += 1;
    if (this.#unacked >= (this.#options.everyFrames?.() ?? Infinity)) {
      this.flush();
      return;
    }
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      this.flush();
    }, this.#options.delayMs());
  }

  /** Send the standalone ack now, if anything is unacknowledged and the socket is usable. */
  flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (!this.#options.canSend()) return;
    this.#unacked = 0;
    const seq = this.#options.inbound.takeAck();
    if (seq !== undefined) this.#options.send(`{"type":"ack","seq":${seq}}`);
  }

  /** The seq to piggyback on an outgoing request, if anything is unacknowledged. */
  takePiggyback(): number | undefined {
    const seq = this.#options.inbound.takeAck();
    if (seq !== undefined) this.#unacked = 0;
    return seq;
  }

  /** The socket went down: the resume's `lastSeq` will acknowledge what is pending. */
  cancel(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#unacked = 0;
  }
}
