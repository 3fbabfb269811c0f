/**
 * When to restart ICE after the path broke, and when to give up: a replaceable policy object, like the
 * connection's `ReconnectPolicy` (livekit's `nextRetryDelayInMs`). PeerJS closes the connection on the first
 * ICE failure and simple-peer has no restart at all (peers.md §5 item 5); we restart with backoff instead.
 */
import { exponentialBackoffWithFullJitter } from '../connection/backoff.js';

/**
 * Why a restart is being considered: ICE `failed`, stayed `disconnected` too long, a restart did not
 * reconnect in time (`timeout`), or a negotiated link never got past `new`/`checking` (`stuck`).
 */
export type IceRestartReason = 'failed' | 'disconnected' | 'timeout' | 'stuck';

/** What the link knows when it asks the policy. */
export interface IceRestartContext {
  /** 1 for the first restart since the link was last connected. */
  readonly attempt: number;
  /** What triggered this attempt. */
  readonly reason: IceRestartReason;
}

/** Decides the delay before each ICE restart, or that the link should give up (`ICE_FAILED`). */
export interface IceRestartPolicy {
  /** Milliseconds to wait before restart number `context.attempt`, or `null` to give up. */
  nextRestartDelayInMs(context: IceRestartContext): number | null;
}

/** Options of `BackoffIceRestartPolicy`. */
export interface BackoffIceRestartPolicyOptions {
  /**
   * Ceiling of the first restart's delay; it doubles on each further attempt (full jitter).
   * @default 200
   */
  readonly baseDelayMs?: number;
  /**
   * No delay exceeds this.
   * @default 5000
   */
  readonly maxDelayMs?: number;
  /**
   * Give up after this many restarts without reconnecting.
   * @default 5
   */
  readonly maxAttempts?: number;
  /**
   * Uniform random numbers in [0, 1), for the jitter.
   * @default Math.random
   */
  readonly random?: () => number;
}

const DEFAULTS = { baseDelayMs: 200, maxDelayMs: 5000, maxAttempts: 5, random: Math.random } as const;

/** The default policy: exponential backoff with full jitter, at most `maxAttempts` restarts. */
export class BackoffIceRestartPolicy implements IceRestartPolicy {
  readonly #options: Required<BackoffIceRestartPolicyOptions>;

  constructor(options: BackoffIceRestartPolicyOptions = {}) {
    this.#options = { ...DEFAULTS, ...options };
  }

  nextRestartDelayInMs(context: IceRestartContext): number | null {
    if (context.attempt > this.#options.maxAttempts) return null;
    return exponentialBackoffWithFullJitter(context.attempt, this.#options);
  }
}
