/**
 * Holds signals that arrived before anyone could take them, so that an app that subscribes a moment late
 * still gets them, in order: `SignalInbox` holds those that came before any `signal` listener, and
 * `PeerManager` those that came before a listener of its own or before their link. It is bounded in count and in age: what does
 * not fit, or waits too long, is handed to `onDrop`, never lost without a word.
 */

/** Why a buffered signal was given up. */
export type EarlyDropReason = 'overflow' | 'expired';

/** Bounds of an `EarlySignalBuffer`. */
export interface EarlySignalBufferOptions<T> {
  /** At most this many items wait; the oldest is dropped to make room. */
  readonly maxCount: number;
  /** An item waits at most this long. */
  readonly maxAgeMs: number;
  /** Told about every item that is given up. */
  readonly onDrop: (item: T, reason: EarlyDropReason) => void;
  /** @default Date.now */
  readonly now?: () => number;
}

/** A bounded, time-limited FIFO. */
export class EarlySignalBuffer<T> {
  readonly #options: EarlySignalBufferOptions<T>;
  readonly #now: () => number;
  #items: { readonly item: T; readonly at: number }[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: EarlySignalBufferOptions<T>) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  /** How many items wait now. */
  get size(): number {
    return this.#items.length;
  }

  /** Keeps `item` until it is taken, dropped for room, or expires. */
  push(item: T): void {
    this.#items.push({ item, at: this.#now() });
    while (this.#items.length > this.#options.maxCount) {
      const oldest = this.#items.shift();
      if (oldest !== undefined) this.#options.onDrop(oldest.item, 'overflow');
    }
    this.#armExpiry();
  }

  /** Removes and returns, in arrival order, the waiting items that `matches` (every item by default). */
  take(matches: (item: T) => boolean = () => true): T[] {
    this.#expire();
    const taken = this.#items.filter((entry) => matches(entry.item));
    this.#items = this.#items.filter((entry) => !matches(entry.item));
    this.#armExpiry();
    return taken.map((entry) => entry.item);
  }

  /** Removes and returns the oldest waiting item, if any (for a listener that may leave half way). */
  shift(): T | undefined {
    this.#expire();
    const oldest = this.#items.shift();
    this.#armExpiry();
    return oldest?.item;
  }

  /** Forgets everything without reporting it (the owner is closing). */
  clear(): void {
    this.#items = [];
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #expire(): void {
    const limit = this.#now() - this.#options.maxAgeMs;
    for (let oldest = this.#items[0]; oldest !== undefined && oldest.at <= limit; oldest = this.#items[0]) {
      this.#items.shift();
      this.#options.onDrop(oldest.item, 'expired');
    }
  }

  /** One timer for the oldest item: expiry is reported when it happens, not at the next push. */
  #armExpiry(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    const oldest = this.#items[0];
    if (oldest === undefined) return;
    const delay = Math.max(0, oldest.at + this.#options.maxAgeMs - this.#now());
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#expire();
      this.#armExpiry();
    }, delay);
  }
}
