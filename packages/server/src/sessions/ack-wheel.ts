/**
 * One timer for the standalone acks of every session on a node, instead of one timer per session.
 *
 * A session that owes its client an ack registers here and is flushed between `delayMs` and `delayMs` plus
 * one tick (a quarter of the delay) later. While frames flow toward the client, the ack rides on them
 * (`LocalSession`) and the flush finds nothing to do. The timer runs only while some session is registered.
 *
 * The wheel turns by the clock, not by timer callbacks: a tick that comes late (a busy event loop) turns it
 * by every tick that has elapsed. Counting callbacks instead stretched the delay by five times the loop's
 * lag, and under load a standalone ack came after the client's request timeout (10 s), failing a signal
 * the server had relayed (peer-link.webrtc.test.ts, resume.test.ts: "signal request N got no answer").
 */

/** Ticks per delay: the flush comes at most a quarter of the delay late. */
const TICKS_PER_DELAY = 4;

export class AckWheel<T> {
  readonly #flush: (item: T, isForced: boolean) => void;
  readonly #tickMs: number;
  /** Ring of slots; `#slots[#cursor]` is flushed on the next tick. */
  readonly #slots: Set<T>[];
  #cursor = 0;
  #size = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** When the wheel last turned (or started turning), by `Date.now()`. */
  #turnedAt = 0;
  readonly #tick = (): void => {
    const now = Date.now();
    // At least one slot per callback, at most one whole turn; a clock that went back counts as one tick.
    const elapsed = Math.floor((now - this.#turnedAt) / this.#tickMs);
    const steps = Math.min(this.#slots.length, Math.max(1, elapsed));
    this.#turnedAt = steps < elapsed ? now : this.#turnedAt + steps * this.#tickMs;
    for (let step = 0; step < steps; step++) this.#turn();
    this.#timer = this.#size === 0 ? undefined : setTimeout(this.#tick, this.#tickMs);
  };

  /**
   * @param delayMs the least an ack waits for a frame to ride on
   * @param flush sends an item's standalone ack, if one is still owed; `isForced` when `flushAll` calls it
   */
  constructor(delayMs: number, flush: (item: T, isForced: boolean) => void) {
    this.#flush = flush;
    this.#tickMs = Math.max(1, Math.ceil(delayMs / TICKS_PER_DELAY));
    // The slot `delay / tick` ahead of the cursor is flushed after that many ticks and at most one more.
    const ahead = Math.max(1, Math.ceil(delayMs / this.#tickMs));
    this.#slots = Array.from({ length: ahead + 1 }, () => new Set<T>());
  }

  /**
   * Flush `item` once the delay has passed (an item registered twice is flushed twice: harmless). When the
   * loop lags, it may go sooner: a late tick turns the wheel by the time elapsed since the last turn.
   */
  add(item: T): void {
    const slot = this.#slots[(this.#cursor + this.#slots.length - 1) % this.#slots.length] as Set<T>;
    if (slot.has(item)) return;
    slot.add(item);
    this.#size += 1;
    if (this.#timer === undefined) {
      this.#turnedAt = Date.now();
      this.#timer = setTimeout(this.#tick, this.#tickMs);
    }
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
    for (const item of items) this.#flush(item, true);
  }

  /** Flush the slot under the cursor and move on by one. */
  #turn(): void {
    const due = this.#slots[this.#cursor] as Set<T>;
    // A fresh set: a flush may register its item again, which must land in a set nobody is iterating.
    this.#slots[this.#cursor] = new Set();
    this.#cursor = (this.#cursor + 1) % this.#slots.length;
    this.#size -= due.size;
    for (const item of due) this.#flush(item, false);
  }

  /** Stop the timer; registered items are dropped. */
  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    for (const slot of this.#slots) slot.clear();
    this.#size = 0;
  }
}
