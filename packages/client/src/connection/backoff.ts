/**
 * Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter", 2015):
 * the delay is uniform in [0, min(cap, base * 2^attempt)). Full jitter spreads a crowd of clients that lost
 * the same server at the same moment, so they do not all come back in lock-step and knock it over again.
 */

/** Parameters of `exponentialBackoffWithFullJitter`. */
export interface BackoffOptions {
  /** The ceiling of the first retry's delay; each later attempt doubles it. */
  readonly baseDelayMs: number;
  /** The ceiling no delay exceeds, however many attempts have failed. */
  readonly maxDelayMs: number;
  /** A source of uniform numbers in [0, 1); injectable so tests are deterministic. */
  readonly random: () => number;
}

/**
 * The delay before retry number `attempt` (1 for the first retry).
 *
 * @example exponentialBackoffWithFullJitter(3, { baseDelayMs: 250, maxDelayMs: 10_000, random: Math.random })
 * // somewhere in [0, 1000)
 */
export function exponentialBackoffWithFullJitter(attempt: number, options: BackoffOptions): number {
  // Cap the exponent: 2 ** 1100 is Infinity, and the ceiling is reached long before anyway.
  const exponent = Math.min(Math.max(attempt - 1, 0), 30);
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** exponent);
  return Math.floor(options.random() * ceiling);
}
