/**
 * A `ClusterBusListener` that records every callback and lets a test wait for one, with a timeout (never a
 * sleep). Shared by the ClusterBus contract suite and the Redis bus's own tests.
 */
import type { SequencedServerMessage } from '@switchboard/protocol';
import type { ClusterBusListener } from '@switchboard/server';

/** One recorded callback. */
export type ListenerEvent =
  | {
      readonly kind: 'deliver';
      readonly sessionId: string;
      readonly frames: readonly SequencedServerMessage[];
    }
  | { readonly kind: 'taken'; readonly sessionId: string }
  | { readonly kind: 'node-failure'; readonly nodeId: string; readonly sessionIds: readonly string[] }
  | { readonly kind: 'ready'; readonly ready: boolean };

/** How long `next()` waits by default before it fails the test. */
const WAIT_MS = 10_000;

/** Records every callback of a bus, in order. */
export class RecordingListener implements ClusterBusListener {
  readonly events: ListenerEvent[] = [];
  #waiters: { predicate: (e: ListenerEvent) => boolean; resolve: (e: ListenerEvent) => void }[] = [];

  onDeliver(sessionId: string, frames: readonly SequencedServerMessage[]): void {
    this.#record({ kind: 'deliver', sessionId, frames });
  }
  onSessionTaken(sessionId: string): void {
    this.#record({ kind: 'taken', sessionId });
  }
  onNodeFailure(nodeId: string, sessionIds: readonly string[]): void {
    this.#record({ kind: 'node-failure', nodeId, sessionIds });
  }
  onReadyChange(ready: boolean): void {
    this.#record({ kind: 'ready', ready });
  }

  /** Frames woken for `sessionId`, flattened, in callback order. */
  delivered(sessionId: string): SequencedServerMessage[] {
    return this.events.flatMap((e) =>
      e.kind === 'deliver' && e.sessionId === sessionId ? [...e.frames] : [],
    );
  }

  /** Resolve with the first recorded event matching `predicate` (past or future); fail after `timeoutMs`. */
  next(predicate: (e: ListenerEvent) => boolean, timeoutMs = WAIT_MS): Promise<ListenerEvent> {
    const found = this.events.find(predicate);
    if (found !== undefined) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no matching ClusterBus callback in time')), timeoutMs);
      this.#waiters.push({
        predicate,
        resolve: (e) => {
          clearTimeout(timer);
          resolve(e);
        },
      });
    });
  }

  /** Resolve once `condition` holds, re-checked after every callback; fail after `timeoutMs`. */
  async until(condition: () => boolean, timeoutMs = WAIT_MS): Promise<void> {
    if (condition()) return;
    await this.next(() => condition(), timeoutMs);
  }

  #record(event: ListenerEvent): void {
    this.events.push(event);
    const ready = this.#waiters.filter((w) => w.predicate(event));
    this.#waiters = this.#waiters.filter((w) => !ready.includes(w));
    for (const w of ready) w.resolve(event);
  }
}
