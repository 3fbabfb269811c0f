/**
 * Client-side liveness. The server's WebSocket pings are invisible to browser code, and a half-open TCP
 * connection (a laptop lid closed, a NAT entry dropped) delivers no close event for minutes. So the client
 * watches for silence: after `pingAfterMs` with no frame it sends an application `ping`, which the server
 * answers with `pong`; after `silenceTimeoutMs` with no frame at all it declares the socket dead.
 *
 * One timer per socket, re-armed from the time of the last frame, so a busy socket costs a timestamp per
 * frame rather than a timer per frame.
 */

/** What the monitor needs from its owner. */
export interface LivenessMonitorOptions {
  /** No frame for this long: the socket is dead. */
  readonly silenceTimeoutMs: number;
  /** No frame for this long: send a ping to provoke one. */
  readonly pingAfterMs: number;
  /** Send an application-level ping. */
  readonly sendPing: () => void;
  /** The socket is dead; the monitor has stopped itself. */
  readonly onDead: () => void;
}

/** Watches one socket for silence. */
export class LivenessMonitor {
  readonly #options: LivenessMonitorOptions;
  #lastActivityAt = 0;
  #hasPinged = false;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: LivenessMonitorOptions) {
    this.#options = options;
  }

  /** Start watching (the socket just opened). */
  start(): void {
    this.#lastActivityAt = Date.now();
    this.#hasPinged = false;
    this.#arm(this.#options.pingAfterMs);
  }

  /** A frame arrived. */
  noteActivity(): void {
    this.#lastActivityAt = Date.now();
    if (!this.#hasPinged) return;
    // The timer aims at the silence deadline since the ping; aim it back at the next ping. This happens
    // once per answered ping, not per frame.
    this.#hasPinged = false;
    if (this.#timer !== undefined) this.#arm(this.#options.pingAfterMs);
  }

  /** Stop watching (the socket closed). */
  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #arm(delayMs: number): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(
      () => {
        this.#check();
      },
      Math.max(delayMs, 0),
    );
  }

  #check(): void {
    const silentForMs = Date.now() - this.#lastActivityAt;
    const { silenceTimeoutMs, pingAfterMs } = this.#options;
    if (silentForMs >= silenceTimeoutMs) {
      this.stop();
      this.#options.onDead();
      return;
    }
    if (silentForMs >= pingAfterMs && !this.#hasPinged) {
      this.#hasPinged = true;
      this.#options.sendPing();
    }
    const nextDeadline = this.#hasPinged ? silenceTimeoutMs : pingAfterMs;
    this.#arm(nextDeadline - silentForMs);
  }
}
