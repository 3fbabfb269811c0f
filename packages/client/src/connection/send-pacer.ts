/**
 * Client-side pacing that mirrors the server's per-connection token bucket (`limits.messagesPerSecond`,
 * `limits.messageBurst`, PROTOCOL.md §Liveness and limits). Frames beyond what the server would accept
 * wait here, in order, instead of being dropped by the server with `RATE_LIMITED`.
 *
 * Invariants:
 * - Frames leave in the order they were given, never faster than the bucket allows.
 * - The bucket is kept `margin` tokens below the server's: the server counts the hello and the odd liveness
 *   ping too, and the network may bunch frames that left evenly spaced, so the server's bucket must never
 *   be the one that runs dry first.
 * - Configured afresh with each welcome: each socket has a fresh bucket on the server.
 */

/** What the pacer needs: where frames go, and a clock (injectable for tests). */
export interface SendPacerOptions {
  readonly send: (text: string) => void;
  /** @default Date.now */
  readonly now?: () => number;
}

export class SendPacer {
  readonly #send: (text: string) => void;
  readonly #now: () => number;
  #ratePerMs = Infinity;
  #capacity = Infinity;
  #tokens = Infinity;
  #updatedAt = 0;
  #queue: string[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: SendPacerOptions) {
    this.#send = options.send;
    this.#now = options.now ?? Date.now;
  }

  /** Frames waiting for a token. */
  get queued(): number {
    return this.#queue.length;
  }

  /**
   * Pace at the server's limits, with a full bucket (less the margin and the hello this socket already
   * spent). Call once per welcome, before sending anything on that socket.
   */
  configure(messagesPerSecond: number, messageBurst: number): void {
    const margin = Math.max(2, Math.ceil(messageBurst / 10));
    this.#ratePerMs = messagesPerSecond / 1000;
    this.#capacity = Math.max(1, messageBurst - margin);
    this.#tokens = Math.max(0, this.#capacity - 1);
    this.#updatedAt = this.#now();
  }

  /** Send `text` now if a token is free and nothing waits, else queue it behind what waits. */
  send(text: string): void {
    if (this.#queue.length === 0 && this.#take()) {
      this.#send(text);
      return;
    }
    this.#queue.push(text);
    this.#arm();
  }

  /** The socket went down: what waits is dropped (requests are resent from the tracker after a welcome). */
  clear(): void {
    this.#queue = [];
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #refill(): void {
    const now = this.#now();
    if (now > this.#updatedAt) {
      this.#tokens = Math.min(this.#capacity, this.#tokens + (now - this.#updatedAt) * this.#ratePerMs);
      this.#updatedAt = now;
    }
  }

  #take(): boolean {
    this.#refill();
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  #drain(): void {
    this.#timer = undefined;
    while (this.#queue.length > 0 && this.#take()) this.#send(this.#queue.shift() as string);
    if (this.#queue.length > 0) this.#arm();
  }

  #arm(): void {
    if (this.#timer !== undefined) return;
    this.#refill();
    const waitMs = Math.max(1, Math.ceil((1 - this.#tokens) / this.#ratePerMs));
    this.#timer = setTimeout(() => this.#drain(), waitMs);
  }
}
