/**
 * Keeps a loop that runs on already-resolved promises from holding the main thread (ADR 0018). A transfer's
 * send loop awaits a read, a hash and a write per message, and while the source has data ready and the
 * channel is below its high watermark every one of those awaits resolves as a microtask: the loop then ran
 * message after message in ONE task, and the page could not paint or handle input until the channel was full.
 * In Chromium each 256 KiB message costs about 1 ms of main-thread time, more on a busy machine (WebCrypto's
 * digest runs on the calling thread, `send()` copies, the source copies), so a refill of a few MiB blocked the
 * page for tens of ms (issue 7: a 131 ms gap on the bench's sender page; the target is a frame, 16 ms).
 *
 * The loop asks `isSpent()` after each message and, when its slice has used `budgetMs`, awaits `nextTask()`
 * so the page's other tasks run first. Wall time is measured on purpose: time the process spent descheduled
 * also delays the page, so on a busy machine the loop yields sooner.
 */

/** A slice of main-thread time for one loop. */
export class TaskBudget {
  readonly #budgetMs: number;
  #sliceStartedAt = performance.now();

  /** @param budgetMs how long the loop may run before it yields (a frame is 16 ms; the rest is the page's). */
  constructor(budgetMs = 4) {
    this.#budgetMs = budgetMs;
  }

  /** Whether the current slice has used its budget. */
  isSpent(): boolean {
    return performance.now() - this.#sliceStartedAt >= this.#budgetMs;
  }

  /** Resolves in a later task (other tasks run first) and starts a new slice. */
  async nextTask(): Promise<void> {
    await waitForNextTask();
    this.#sliceStartedAt = performance.now();
  }
}

/** The Prioritized Task Scheduling API (Chromium 94+, Firefox 142+); not in TypeScript's DOM types yet. */
interface TaskScheduler {
  postTask(callback: () => void): Promise<unknown>;
}

/**
 * A macrotask without the 4 ms clamp that nested `setTimeout(0)` gets in browsers (HTML timers, nesting
 * level above 5): `scheduler.postTask` where the browser has it, `setImmediate` in Node, else a
 * `MessageChannel` message (as React's scheduler does; a new channel per call costs about 0.2 ms in
 * Chromium, so it is the last resort).
 */
function waitForNextTask(): Promise<void> {
  // Typed loosely on purpose: neither `scheduler` nor Node's `setImmediate` is in the DOM types.
  const { scheduler, setImmediate: immediate } = globalThis as {
    scheduler?: Partial<TaskScheduler>;
    setImmediate?: (callback: () => void) => unknown;
  };
  return new Promise((resolve) => {
    if (typeof scheduler?.postTask === 'function') {
      scheduler.postTask(resolve).catch(() => undefined);
    } else if (typeof immediate === 'function') {
      immediate(resolve);
    } else if (typeof MessageChannel === 'function') {
      const { port1, port2 } = new MessageChannel();
      port1.onmessage = () => {
        // Closing disentangles both ports, so neither outlives this one message.
        port1.close();
        resolve();
      };
      port2.postMessage(undefined);
    } else {
      setTimeout(resolve, 0);
    }
  });
}
