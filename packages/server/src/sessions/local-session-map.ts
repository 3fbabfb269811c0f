/**
 * The sessions whose socket is on this node, by id: a `Map` that also tells an in-process bus which object
 * holds each session (`InlineClusterOps.hold`). The bus then wakes a session straight into its
 * `LocalSession`, and the session acks its outbox through its own handle: a relayed signal touches each of
 * the two sessions once, with no lookup by session id (BENCHMARKS.md, "Relay pass 2").
 *
 * Invariant: the bus's holder of a session is the `LocalSession` this map holds for it, or none. Every change
 * to the node's sessions goes through `set` and `delete`, so the two cannot drift apart; a bus without
 * `inline` operations (Redis) is told nothing and wakes the node through `onDeliver` as before.
 */
import type { InlineClusterOps } from '../bus/cluster-bus.js';
import type { LocalSession } from './local-session.js';

export class LocalSessionMap extends Map<string, LocalSession> {
  readonly #inline: InlineClusterOps | undefined;

  /** @param inline the bus's synchronous operations, if it has them */
  constructor(inline: InlineClusterOps | undefined) {
    super();
    this.#inline = inline;
  }

  override set(sessionId: string, session: LocalSession): this {
    super.set(sessionId, session);
    if (this.#inline !== undefined) session.bindInline(this.#inline.hold(sessionId, session));
    return this;
  }

  override delete(sessionId: string): boolean {
    const session = super.get(sessionId);
    if (session === undefined) return false;
    super.delete(sessionId);
    this.#inline?.release(sessionId, session);
    return true;
  }

  override clear(): void {
    for (const sessionId of [...this.keys()]) this.delete(sessionId);
  }
}
