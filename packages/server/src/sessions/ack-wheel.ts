/**
 * One timer for the standalone acks of every session on a node, instead of one timer per session.
 *
 * A session that owes its client an ack and has nothing else to carry it registers here; it is flushed on
 * the second tick after it registered, so its ack waits between half the delay and the whole delay. While
 * frames flow, the ack rides on them (`LocalSession`) and the flush finds nothing to do. The timer runs
 * only while some session is registered.
 */

/** What the wheel flushes. */
export interface AckFlushable {
  /** Send the standalone ack, if one is still owed. */
  flushAck(): void;
}

export class AckWheel<T extends AckFlushable> {
  readonly #tickMs: number;
  /** Registered before the last tick: flushed on the next one. */
  #due = new Set<T>();
  /** Registered since the last tick. */
  #waiting = new Set<T>();
  #timer: NodeJS.Timeout | undefined;
  readonly #tick = (): void => {
    const due = this.#due;
    this.#due = this.#waiting;
    // A fresh set: a flush may register its item again, which must land in a set nobody is iterating.
    this.#waiting = new Set();
    for (const item of due) item.flushAck();
    this.#timer =
      this.#due.size === 0 && this.#waiting.size === 0 ? undefined : setTimeout(this.#tick, this.#tickMs);
  };

  /** @param delayMs the longest an ack waits */
  constructor(delayMs: number) {
    this.#tickMs = Math.max(1, Math.floor(delayMs / 2));
  }

  /** Flush `item` within the delay. */
  add(item: T): void {
    this.#waiting.add(item);
    this.#timer ??= setTimeout(this.#tick, this.#tickMs);
  }

  /** Forget `item` (its socket is gone). */
  delete(item: T): void {
    this.#due.delete(item);
    this.#waiting.delete(item);
  }

  /** Flush everything registered now (a drain wants every ack out). */
  flushAll(): void {
    const items = [...this.#due, ...this.#waiting];
    this.#due.clear();
    this.#waiting.clear();
    for (const item of items) item.flushAck();
  }

  /** Stop the timer; registered items are dropped. */
  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#due.clear();
    this.#waiting.clear();
  }
}
