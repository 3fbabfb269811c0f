/**
 * A tiny typed event emitter: one map of event name -> listener signature (socket.io `EventsMap`, livekit
 * `RoomEventCallbacks`). `on()` returns the unsubscribe function, so callers never keep a listener reference
 * around just to remove it. A listener that throws does not stop the others: the error is handed to
 * `onListenerError`, because a library must not let an app bug in one handler break its own state machine.
 */

/** Constrains an event map: every member is a listener signature (event name -> listener). */
export type EventMap<Events> = { [K in keyof Events]: (...args: never[]) => void };

/** Subscribe-only view of an emitter, for exposing events without `emit`. */
export interface Subscribable<Events extends EventMap<Events>> {
  /** Adds a listener; returns a function that removes it. */
  on<K extends keyof Events>(event: K, listener: Events[K]): () => void;
  /** Adds a listener that runs at most once; returns a function that removes it. */
  once<K extends keyof Events>(event: K, listener: Events[K]): () => void;
}

/** A typed event emitter. Owners keep it private and expose `on`/`once`. */
export class TypedEmitter<Events extends EventMap<Events>> implements Subscribable<Events> {
  readonly #listeners = new Map<keyof Events, Set<Events[keyof Events]>>();
  readonly #onListenerError: (error: unknown) => void;

  /** @param onListenerError receives whatever a listener throws (default: rethrown on a microtask). */
  constructor(onListenerError?: (error: unknown) => void) {
    this.#onListenerError =
      onListenerError ??
      ((error) =>
        queueMicrotask(() => {
          throw error;
        }));
  }

  /** Adds a listener; returns a function that removes it. */
  on<K extends keyof Events>(event: K, listener: Events[K]): () => void {
    let set = this.#listeners.get(event);
    if (set === undefined) {
      set = new Set();
      this.#listeners.set(event, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }

  /** Adds a listener that runs at most once; returns a function that removes it. */
  once<K extends keyof Events>(event: K, listener: Events[K]): () => void {
    const off = this.on(event, ((...args: Parameters<Events[K]>) => {
      off();
      (listener as (...a: Parameters<Events[K]>) => void)(...args);
    }) as Events[K]);
    return off;
  }

  /** Calls every listener of `event` with `args`, in subscription order. */
  emit<K extends keyof Events>(event: K, ...args: Parameters<Events[K]>): void {
    const set = this.#listeners.get(event);
    if (set === undefined) return;
    for (const listener of [...set]) {
      try {
        (listener as (...a: Parameters<Events[K]>) => void)(...args);
      } catch (error) {
        this.#onListenerError(error);
      }
    }
  }

  /** Whether anyone listens to `event`. */
  hasListeners(event: keyof Events): boolean {
    return (this.#listeners.get(event)?.size ?? 0) > 0;
  }

  /** Removes every listener. */
  clear(): void {
    this.#listeners.clear();
  }
}
