/**
 * A token bucket: `burst` tokens at most, refilled continuously at `ratePerSecond`. One bucket per connection
 * caps how many frames a client may send (ws's own `lib/limiter.js` shows how small this should stay).
 *
 * Invariant: 0 <= tokens <= burst. Refill is computed lazily from the clock on each `take()`, so an idle
 * bucket costs nothing and no timer runs.
 */
export class TokenBucket {
  readonly #ratePerMs: number;
  readonly #burst: number;
  readonly #now: () => number;
  #tokens: number;
  #updatedAt: number;

  /**
   * @param ratePerSecond tokens added per second
   * @param burst the bucket's capacity, and its initial content
   * @param now the clock (injectable for tests)
   */
  constructor(ratePerSecond: number, burst: number, now: () => number = Date.now) {
    this.#ratePerMs = ratePerSecond / 1000;
    this.#burst = burst;
    this.#now = now;
    this.#tokens = burst;
    this.#updatedAt = now();
  }

  /** Take one token. Returns false (and takes nothing) when the bucket is empty. */
  take(): boolean {
    const now = this.#now();
    if (now > this.#updatedAt) {
      this.#tokens = Math.min(this.#burst, this.#tokens + (now - this.#updatedAt) * this.#ratePerMs);
      this.#updatedAt = now;
    }
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  /** Tokens available now (fractional), without taking any. */
  get available(): number {
    const elapsed = Math.max(0, this.#now() - this.#updatedAt);
    return Math.min(this.#burst, this.#tokens + elapsed * this.#ratePerMs);
  }
}
