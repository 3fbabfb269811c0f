/**
 * Wait for a condition on state that callbacks change: `until()` re-checks after every `wake()` (each
 * callback calls it), and fails after a deadline naming what it waited for. No polling, no sleeps.
 */
export class ConditionWaiter {
  #waiting: (() => void)[] = [];

  /** Something changed: every pending `until()` checks its predicate again. */
  wake(): void {
    const waiting = this.#waiting;
    this.#waiting = [];
    for (const wake of waiting) wake();
  }

  /** Resolve when `predicate` holds; reject after `timeoutMs` with a message naming `what`. */
  async until(predicate: () => boolean, timeoutMs: number, what = 'condition'): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiting.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}
