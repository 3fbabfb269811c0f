/**
 * A small typed event emitter: event names and listener signatures come from one map (socket.io
 * `EventsMap`, livekit `RoomEventCallbacks`), and `on()` returns its own unsubscribe function.
 */

/** A map from event name to listener signature (an interface such as `SignalingClientEvents` fits). */
export type EventMap<Events> = { [E in keyof Events]: (...args: never[]) => void };

/** Call to remove the listener that `on()` or `once()` added. Calling it twice is harmless. */
export type Unsubscribe = () => void;

/**
 * Listeners run synchronously, in the order they were added. A listener that throws does not stop the
 * others nor corrupt the emitter's owner: its error is rethrown on a fresh task (`queueMicrotask`), where the
 * host reports it like any uncaught error, instead of unwinding through the protocol state machine.
 */
export class TypedEventEmitter<Events extends EventMap<Events>> {
  readonly #listeners = new Map<keyof Events, Set<Events[keyof Events]>>();

  /** Add a listener; returns a function that removes it. */
  on<E extends keyof Events>(event: E, listener: Events[E]): Unsubscribe {
    let set = this.#listeners.get(event);
    if (set === undefined) {
      set = new Set();
      this.#listeners.set(event, set);
    }
    // Wrap so the same function can be added twice and removed independently.
    const entry = ((...args: Parameters<Events[E]>) => {
      listener(...args);
    }) as Events[E];
    set.add(entry);
    return () => {
      set.delete(entry);
    };
  }

  /** Add a listener that runs at most once; returns a function that removes it before it runs. */
  once<E extends keyof Events>(event: E, listener: Events[E]): Unsubscribe {
    const unsubscribe = this.on(event, ((...args: Parameters<Events[E]>) => {
      unsubscribe();
      listener(...args);
    }) as Events[E]);
    return unsubscribe;
  }

  /** The number of listeners for `event`. */
  listenerCount(event: keyof Events): number {
    return this.#listeners.get(event)?.size ?? 0;
  }

  /** Call every listener of `event` with `args`. */
  emit<E extends keyof Events>(event: E, ...args: Parameters<Events[E]>): void {
    const set = this.#listeners.get(event);
    if (set === undefined) return;
    // Copy: a listener may unsubscribe itself or others while we iterate.
    for (const listener of [...set]) {
      try {
        (listener as (...a: Parameters<Events[E]>) => void)(...args);
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  /** Remove every listener (used when the owner is disposed). */
  removeAllListeners(): void {
    this.#listeners.clear();
  }
}
