/**
 * When a bus operation may use Redis. The bus is ready only once this node's state in Redis is current
 * (node-heartbeat.ts); until then an operation either waits, or, while Redis is unreachable outright,
 * goes on without it (outage-fallback.ts).
 *
 * Between "reachable again" and "ready" (the write-back runs) operations wait: a frame sequenced in Redis
 * then could take a seq this node has already handed out locally.
 */
import { SwitchboardError } from '@switchboard/protocol';

/** Where an operation runs: in Redis, or (`offline`) on this node's own copy of the sessions it holds. */
export type BusRoute = 'redis' | 'offline';

/** Readiness, and the operations waiting on it. */
export class ReadinessGate {
  readonly #isConnected: () => boolean;
  readonly #waitMs: number;
  readonly #waiters = new Set<() => void>();
  #isReady = false;

  /**
   * @param isConnected whether both Redis connections are up
   * @param waitMs how long an operation waits for readiness before it fails (`outageWaitMs`)
   */
  constructor(isConnected: () => boolean, waitMs: number) {
    this.#isConnected = isConnected;
    this.#waitMs = waitMs;
  }

  get isReady(): boolean {
    return this.#isReady;
  }

  /** Set readiness; returns whether it changed. */
  setReady(ready: boolean): boolean {
    const changed = ready !== this.#isReady;
    this.#isReady = ready;
    this.#wake();
    return changed;
  }

  /** A connection went down or came back: waiting operations look again. */
  onConnectionChange(): void {
    this.#wake();
  }

  /**
   * Resolve with where to run: `redis` once ready; `offline` at once while Redis is unreachable, if the
   * operation can run offline. Fails with INTERNAL_ERROR after `waitMs`, so a request never hangs on Redis.
   */
  async route(canRunOffline: boolean): Promise<BusRoute> {
    const deadline = Date.now() + this.#waitMs;
    for (;;) {
      if (this.#isReady) return 'redis';
      if (canRunOffline && !this.#isConnected()) return 'offline';
      const left = deadline - Date.now();
      if (left <= 0)
        throw new SwitchboardError(
          'INTERNAL_ERROR',
          `Redis has been unavailable for ${this.#waitMs} ms; try again.`,
        );
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          clearTimeout(timer);
          this.#waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, left);
        this.#waiters.add(wake);
      });
    }
  }

  #wake(): void {
    for (const wake of [...this.#waiters]) wake();
  }
}
