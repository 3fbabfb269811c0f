/**
 * Runs a session's work one item at a time, in arrival order: lifecycle steps (closures) and client
 * requests (kept as the message itself, so a request costs no closure). An item that throws is reported and
 * the queue carries on.
 */

/** A queued lifecycle step. */
export type Task = () => Promise<void>;

const NO_WAITERS: readonly (() => void)[] = Object.freeze([]);

/**
 * Who runs a queue's requests, told which queue's owner they belong to. One runner (the node) serves every
 * session's queue, so a queue holds two references instead of two closures (idle sessions are many).
 */
export interface QueueRunner<O, R> {
  /** Run one non-closure item (a client request) of `owner`'s queue. */
  execute(owner: O, item: R): Promise<void>;
  /** An item of `owner`'s queue threw. */
  onTaskError(owner: O, error: unknown): void;
}

export class SerialTaskQueue<O, R> {
  readonly #runner: QueueRunner<O, R>;
  readonly #owner: O;
  readonly #items: (Task | R)[] = [];
  #isRunning = false;
  /** Replaced, not pushed to, so that most queues (never waited for) share the empty one. */
  #idleWaiters: readonly (() => void)[] = NO_WAITERS;

  /**
   * @param runner runs requests and hears of failures
   * @param owner passed to `runner` with each item
   */
  constructor(runner: QueueRunner<O, R>, owner: O) {
    this.#runner = runner;
    this.#owner = owner;
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
        else await this.#runner.execute(this.#owner, item);
      } catch (error) {
        this.#runner.onTaskError(this.#owner, error);
      }
    }
    this.#isRunning = false;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = NO_WAITERS;
    for (const resolve of waiters) resolve();
  }
}
