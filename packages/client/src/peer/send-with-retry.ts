/**
 * Sends a peer-layer signal, retrying when the broker dropped it for `RATE_LIMITED`. Losing one
 * description or candidate batch leaves a negotiation stuck for good (the other side waits for an answer
 * that never comes), while the token bucket refills within a second; so a short retry is the right
 * answer. Other failures (`PEER_NOT_FOUND`, closed client) are final and rejected at once.
 */
import { SwitchboardError } from '@switchboard/protocol';

/** How many times, and how far apart, rate-limited signals are retried. */
export interface SignalRetry {
  /** @default 6 */
  readonly maxAttempts: number;
  /** Delay before retry n is n times this. @default 250 */
  readonly stepDelayMs: number;
}

const DEFAULT_RETRY: SignalRetry = { maxAttempts: 6, stepDelayMs: 250 };

/** Calls `send` until it succeeds, fails with something other than `RATE_LIMITED`, or attempts run out. */
export async function sendWithRetry(
  send: () => Promise<void>,
  retry: SignalRetry = DEFAULT_RETRY,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await send();
      return;
    } catch (error) {
      const isRateLimited = error instanceof SwitchboardError && error.code === 'RATE_LIMITED';
      if (!isRateLimited || attempt >= retry.maxAttempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, attempt * retry.stepDelayMs));
    }
  }
}
