/**
 * One timer for the standalone acks of every session on a node, instead of one timer per session.
 *
 * A session that owes its client an ack registers here and is flushed between `delayMs` and `delayMs` plus
 * one tick (a quarter of the delay) later. While frames flow toward the client, the ack rides on them
 * (`LocalSession`) and the flush finds nothing to do. The timer runs only while some session is registered.
 */

/** Ticks per delay: the flush comes at most a quarter of the delay late. */
const TICKS_PER_DELAY = 4;

export class AckWheel<T> {
  readonly #flush: (item: T) => void;
  readonly #tickMs: number;
  /** Ring of slots; `#slots[#cursor]` is flushed on the next tick. */
  readonly #slots: Set<T>[];
  #cursor = 0;
  #size = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #tick = (): void => {
    const due = this.#slots[this.#cursor] as Set<T>;
    // A fresh set: a flush may register its item again, which must land in a set nobody is iterating.
    this.#slots[this.#cursor] = new Set();
    this.#cursor = (this.#cursor + 1) % this.#slots.length;
    this.#size -= due.size;
    for (const item of due) this.#flush(item);
    this.#timer = this.#size === 0 ? undefined : setTimeout(this.#tick, this.#tickMs);
  };

  /**
   * @param delayMs the least an ack waits for a frame to ride on
   * @param flush sends an item's standalone ack, if one is still owed
   */
  constructor(delayMs: number, flush: (item: T) => void) {
    this.#flush = flush;
    this.#tickMs = Math.max(1, Math.ceil(delayMs / TICKS_PER_DELAY));
    // The slot `delay / tick` ahead of the cursor is flushed after that many ticks and at most one more.
    const ahead = Math.max(1, Math.ceil(delayMs / this.#tickMs));
    this.#slots = Array.from({ length: ahead + 1 }, () => new Set<T>());
  }

  /** Flush `item` once the delay has passed (an item registered twice is flushed twice: harmless). */
  add(item: T): void {
    const slot = this.#slots[(this.#cursor + this.#slots.length - 1) % this.#slots.length] as Set<T>;
    if (slot.has(item)) return;
    slot.add(item);
    this.#size += 1;
    this.#timer ??= setTimeout(this.#tick, this.#tickMs);
  }

  /** Forget `item` (its socket is gone). */
  delete(item: T): void {
    for (const slot of this.#slots) if (slot.delete(item)) this.#size -= 1;
  }

  /** Flush everything registered now (a drain wants every ack out). */
  flushAll(): void {
    const items = this.#slots.flatMap((slot) => [...slot]);
    for (const slot of this.#slots) slot.clear();
    this.#size = 0;
    for (const item of items) this.#flush(item);
  }

  /** Stop the timer; registered items are dropped. */
  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    for (const slot of this.#slots) slot.clear();
    this.#size = 0;
  }
}
