/**
 * The client's outbound side: app requests from the moment they are made until the server answers them,
 * and the acks of server frames, all paced to the server's token bucket so that a burst waits here instead
 * of being refused with `RATE_LIMITED`.
 *
 * Invariants:
 * - Frames leave in the order they were made (one `SendPacer` queue for requests and acks alike).
 * - An ack of server frames rides on the next request when there is one; a standalone ack goes out only after
 *   `ackDelayMs` of quiet or once `ackEveryFrames` frames wait (AckScheduler).
 * - A request is tracked from creation; if the socket is down it is simply sent after the next welcome.
 */
import type { SwitchboardError, WelcomeMessage } from '@switchboard/protocol';
import { AckScheduler } from './ack-scheduler.js';
import type { InboundSequencer } from './inbound-sequencer.js';
import { RequestTracker, type RequestBody, type TrackedFrame } from './request-tracker.js';
import { SendPacer } from './send-pacer.js';

/** Used when the server names no ack delay (it always does; this only guards a malformed welcome). */
const FALLBACK_ACK_DELAY_MS = 20;
/** Standalone ack once this many frames wait, unless the server's outbox allows fewer (a quarter of it). */
const ACK_EVERY_FRAMES = 32;

/** What the outbound side needs from the client. */
export interface OutboundRequestsOptions {
  readonly inbound: InboundSequencer;
  readonly requestTimeoutMs: number;
  /** The client's own ack delay option, overriding the server's. */
  readonly ackDelayMs: number | undefined;
  /** The welcome of the current session, for its limits. */
  readonly welcome: () => WelcomeMessage | undefined;
  /** Whether frames may be sent now: a welcome came on the socket that is open. */
  readonly isLive: () => boolean;
  /** Write one frame to the socket. */
  readonly write: (text: string) => void;
  /** A request settled by an ack: apply its effect (metadata of an update, say). */
  readonly onSettled: (frame: TrackedFrame) => void;
}

export class OutboundRequests {
  /** Pending requests, in id order. */
  readonly tracker = new RequestTracker();
  readonly #options: OutboundRequestsOptions;
  readonly #acks: AckScheduler;
  readonly #pacer: SendPacer;

  constructor(options: OutboundRequestsOptions) {
    this.#options = options;
    this.#pacer = new SendPacer({ send: (text) => options.write(text) });
    this.#acks = new AckScheduler({
      inbound: options.inbound,
      delayMs: () => options.ackDelayMs ?? options.welcome()?.limits.ackDelayMs ?? FALLBACK_ACK_DELAY_MS,
      everyFrames: () =>
        Math.max(1, Math.min(ACK_EVERY_FRAMES, Math.floor((options.welcome()?.limits.maxOutbox ?? 0) / 4))),
      canSend: options.isLive,
      send: (text) => this.#pacer.send(text),
    });
  }

  /** Track a request and send it now if the socket is live (else after the next welcome). */
  add<T>(body: RequestBody): Promise<T> {
    const { frame, promise } = this.tracker.add<T>(body);
    if (this.#options.isLive()) this.send(frame);
    return promise;
  }

  /** Send (or resend) a tracked request, with the pending ack piggybacked, and start its timeout. */
  send(frame: TrackedFrame): void {
    if (!this.#options.isLive()) return;
    // Piggyback the ack: one frame fewer, and the server's outbox shrinks sooner.
    const ack = this.#acks.takePiggyback();
    this.#pacer.send(JSON.stringify(ack === undefined ? frame : { ...frame, ack }));
    this.tracker.markSent(frame.id, this.#options.requestTimeoutMs);
  }

  /**
   * A welcome arrived: pace at its limits, then send every pending request the server has not processed
   * (`id > resendAfterId`), in order; the others only restart their timeouts until settled.
   */
  afterWelcome(welcome: WelcomeMessage, resendAfterId: number): void {
    this.#pacer.configure(welcome.limits.messagesPerSecond, welcome.limits.messageBurst);
    for (const frame of this.tracker.after(0)) {
      if (frame.id > resendAfterId) this.send(frame);
      else this.tracker.markSent(frame.id, this.#options.requestTimeoutMs);
    }
  }

  /** The server processed every request up to `id`: settle those an ack settles. */
  ackUpTo(id: number): void {
    for (const frame of this.tracker.ackUpTo(id)) this.#options.onSettled(frame);
  }

  /** A sequenced frame was processed: it must be acknowledged in time. */
  frameProcessed(): void {
    this.#acks.schedule();
  }

  /** Acknowledge every processed frame now (the server is draining and waits for our acks). */
  flushAcks(): void {
    this.#acks.flush();
  }

  /** The socket went down: nothing waits for a token, timeouts pause, the resume acknowledges. */
  pause(): void {
    this.#acks.cancel();
    this.#pacer.clear();
    this.tracker.pauseTimers();
  }

  /** The client is closed for good: fail every pending request with `failure`. */
  stop(failure: SwitchboardError): void {
    this.#acks.cancel();
    this.#pacer.clear();
    this.tracker.rejectAll(failure);
  }
}
