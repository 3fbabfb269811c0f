/**
 * A listener set with unsubscribe handles, for the app's own small models (local media, call state).
 * The SDK has its own typed emitter; the app only needs "something changed".
 */
export class Listeners<Args extends unknown[] = []> {
  readonly #listeners = new Set<(...args: Args) => void>();

  /** Subscribe; returns the unsubscribe function. */
  add(listener: (...args: Args) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Call every listener in subscription order. */
  emit(...args: Args): void {
    for (const listener of [...this.#listeners]) listener(...args);
  }

  /** Drop every listener. */
  clear(): void {
    this.#listeners.clear();
  }
}
