/**
 * Schedules the push of fresh ICE servers (new TURN credentials) to a connected peer before its current
 * ones expire. A peer that keeps one session for hours still needs valid credentials for the ICE restart
 * it may do at any moment; coturn refuses an expired username (its timestamp is the expiry), so we send
 * an `ice-servers` frame at a fraction of the remaining lifetime, by default 80 %.
 *
 * One timer per key (the session id): scheduling again replaces the previous timer, which is what a
 * resume's fresh welcome wants. The refresh callback returns the new expiry, or `undefined` to stop (the
 * session ended or is detached; its next welcome schedules again). Timers are unref'd so they never hold
 * the process open.
 */

/** Options of `IceRefreshScheduler`. */
export interface IceRefreshSchedulerOptions {
  /** Fraction of the remaining credential lifetime after which to refresh, in (0, 1). @default 0.8 */
  readonly refreshFraction?: number;
  /** Never refresh sooner than this after issuing, in ms (guards against a clock far ahead). @default 1000 */
  readonly minDelayMs?: number;
  /** Clock in epoch ms. @default Date.now */
  readonly now?: () => number;
}

/** Refresh ICE credentials before they expire, one timer per session. */
export class IceRefreshScheduler {
  readonly #timers = new Map<string, ReturnType<typeof setTimeout>>();
  readonly #fraction: number;
  readonly #minDelayMs: number;
  readonly #now: () => number;

  constructor(options: IceRefreshSchedulerOptions = {}) {
    const fraction = options.refreshFraction ?? 0.8;
    if (!(fraction > 0 && fraction < 1))
      throw new RangeError(`refreshFraction must be between 0 and 1, got ${fraction}`);
    this.#fraction = fraction;
    this.#minDelayMs = options.minDelayMs ?? 1000;
    this.#now = options.now ?? Date.now;
  }

  /** How many refreshes are pending. */
  get size(): number {
    return this.#timers.size;
  }

  /**
   * Refresh `key` before `expiresAt` (epoch ms); `undefined` means nothing expires and cancels. `refresh`
   * pushes new servers and returns their expiry, which schedules the next round.
   */
  schedule(key: string, expiresAt: number | undefined, refresh: () => number | undefined): void {
    this.cancel(key);
    if (expiresAt === undefined) return;
    const delayMs = Math.max(this.#minDelayMs, Math.floor((expiresAt - this.#now()) * this.#fraction));
    const timer = setTimeout(() => {
      this.#timers.delete(key);
      this.schedule(key, refresh(), refresh);
    }, delayMs);
    timer.unref();
    this.#timers.set(key, timer);
  }

  /** Drop the pending refresh of `key`, if any. */
  cancel(key: string): void {
    const timer = this.#timers.get(key);
    if (timer === undefined) return;
    clearTimeout(timer);
    this.#timers.delete(key);
  }

  /** Drop every pending refresh (server shutdown). */
  stop(): void {
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }
}
