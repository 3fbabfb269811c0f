/**
 * The reconnect policy: a replaceable object that decides how long to wait before the next attempt, or
 * whether to give up (livekit's `ReconnectPolicy.nextRetryDelayInMs`).
 */
import type { SwitchboardError } from '@switchboard/protocol';
import { exponentialBackoffWithFullJitter } from './backoff.js';

/** What the client knows when it asks the policy for the next delay. */
export interface ReconnectContext {
  /** Which retry this will be: 1 for the first retry after the connection was lost or could not be made. */
  readonly attempt: number;
  /** Milliseconds since the connection was lost (or since the first connect attempt began). */
  readonly elapsedMs: number;
  /** Why the last attempt failed, when known. */
  readonly lastError: SwitchboardError | undefined;
}

/** Decides when to retry. Replace it to cap attempts, add a deadline, or retry at fixed times. */
export interface ReconnectPolicy {
  /** Milliseconds to wait before the next attempt, or `null` to give up (the client then closes). */
  nextRetryDelayInMs(context: ReconnectContext): number | null;
}

/** Options of `ExponentialBackoffPolicy`. */
export interface ExponentialBackoffPolicyOptions {
  /**
   * Ceiling of the first retry's delay; it doubles on each further attempt.
   * @default 250
   */
  readonly baseDelayMs?: number;
  /**
   * No delay exceeds this.
   * @default 10000
   */
  readonly maxDelayMs?: number;
  /**
   * Give up after this many consecutive failed attempts.
   * @default Infinity (never give up)
   */
  readonly maxAttempts?: number;
  /**
   * Source of uniform random numbers in [0, 1), for the jitter.
   * @default Math.random
   */
  readonly random?: () => number;
}

const DEFAULTS = {
  baseDelayMs: 250,
  maxDelayMs: 10_000,
  maxAttempts: Number.POSITIVE_INFINITY,
  random: Math.random,
} as const satisfies Required<ExponentialBackoffPolicyOptions>;

/**
 * The default policy: exponential backoff with full jitter, base 250 ms, cap 10 s, never gives up.
 *
 * @example new SignalingClient({ url, reconnectPolicy: new ExponentialBackoffPolicy({ maxAttempts: 20 }) })
 */
export class ExponentialBackoffPolicy implements ReconnectPolicy {
  readonly #options: Required<ExponentialBackoffPolicyOptions>;

  constructor(options: ExponentialBackoffPolicyOptions = {}) {
    this.#options = { ...DEFAULTS, ...options };
  }

  nextRetryDelayInMs(context: ReconnectContext): number | null {
    if (context.attempt > this.#options.maxAttempts) return null;
    return exponentialBackoffWithFullJitter(context.attempt, this.#options);
  }
}
