/**
 * Runs a session's work one item at a time, in arrival order: lifecycle steps (closures) and client
 * requests (kept as the message itself, so a request costs no closure). An item that throws is reported and
 * the queue carries on.
 */

/** A queued lifecycle step. */
export type Task = () => Promise<void>;

const NO_WAITERS: readonly (() => void)[] = Object.freeze([]);

export class SerialTaskQueue<R> {
  readonly #runItem: (item: R) => Promise<void>;
  readonly #onError: (error: unknown) => void;
  readonly #items: (Task | R)[] = [];
  #isRunning = false;
  /** Replaced, not pushed to, so that most queues (never waited for) share the empty one. */
  #idleWaiters: readonly (() => void)[] = NO_WAITERS;

  /**
   * @param runItem runs one non-closure item (a client request)
   * @param onError told about an item that threw
   */
  constructor(runItem: (item: R) => Promise<void>, onError: (error: unknown) => void) {
    this.#runItem = runItem;
    this.#onError = onError;
  }

  /** Whether nothing is running or queued. */
  get isIdle(): boolean {
    return !this.#isRunning;
  }

  /** Run `item` after every item queued before it. */
  push(item: Task | R): void {
    this.#items.push(item);
    if (!this.#isRunning) void this.#run();
  }

  /** Resolves when nothing is queued or running. */
  whenIdle(): Promise<void> {
    if (!this.#isRunning) return Promise.resolve();
    return new Promise((resolve) => (this.#idleWaiters = [...this.#idleWaiters, resolve]));
  }

  async #run(): Promise<void> {
    this.#isRunning = true;
    for (let item = this.#items.shift(); item !== undefined; item = this.#items.shift()) {
      try {
        if (typeof item === 'function') await (item as Task)();
        else await this.#runItem(item);
      } catch (error) {
        this.#onError(error);
      }
    }
    this.#isRunning = false;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = NO_WAITERS;
    for (const resolve of waiters) resolve();
  }
}
