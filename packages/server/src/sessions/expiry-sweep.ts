/**
 * The end of the grace window: a periodic sweep claims the detached sessions whose time ran out, makes
 * their peers leave every room with the right reason, and deletes them. The bus hands each expired session
 * to exactly one sweep in the whole cluster, so each departure is announced once.
 *
 * The reason is `node-failure` for the sessions of a node that died (as this node was told, or as the bus
 * recorded in `failedNodeId`), and `timeout` for a socket that simply never came back.
 */
import type { LeftReason } from '@switchboard/protocol';
import type { Logger } from 'pino';
import type { ClusterBus } from '../bus/cluster-bus.js';
import type { Presence } from '../rooms/presence.js';

/** The collaborators of an expiry sweep. */
export interface ExpirySweepDeps {
  readonly bus: ClusterBus;
  readonly presence: Presence;
  readonly logger: Logger;
}

/** Ends the sessions whose grace window ran out, once each across the cluster. */
export class ExpirySweep {
  readonly #deps: ExpirySweepDeps;
  readonly #graceMs: number;
  /** Sessions detached by a node failure: when they expire, their reason is `node-failure`. */
  readonly #failedSessions = new Set<string>();
  #timer: NodeJS.Timeout | undefined;
  #isSweeping = false;

  /** @param graceMs the grace window; the sweep runs a few times per window, at most once a second */
  constructor(deps: ExpirySweepDeps, graceMs: number) {
    this.#deps = deps;
    this.#graceMs = graceMs;
  }

  /** Start sweeping. */
  start(): void {
    const every = Math.min(1000, Math.max(50, Math.floor(this.#graceMs / 4)));
    this.#timer = setInterval(() => void this.#sweep(), every);
    this.#timer.unref();
  }

  /** Stop sweeping. */
  stop(): void {
    clearInterval(this.#timer);
  }

  /** These sessions were detached because their node failed. */
  markFailed(sessionIds: readonly string[]): void {
    for (const id of sessionIds) this.#failedSessions.add(id);
  }

  /** The session was resumed: if it expires later, it is for its own reasons. */
  forget(sessionId: string): void {
    this.#failedSessions.delete(sessionId);
  }

  async #sweep(): Promise<void> {
    if (this.#isSweeping) return;
    this.#isSweeping = true;
    const { bus, presence, logger } = this.#deps;
    try {
      for (const record of await bus.expiredSessions(Date.now())) {
        // `failedNodeId` says so even when another node than the one told of the failure claims the expiry.
        const wasFailed = this.#failedSessions.delete(record.sessionId) || record.failedNodeId !== undefined;
        const reason: LeftReason = wasFailed ? 'node-failure' : 'timeout';
        await presence.removeEverywhere(record.peerId, record.rooms, reason);
        await bus.deleteSession(record.sessionId);
      }
    } catch (error) {
      logger.error({ err: error }, 'expiry sweep failed');
    } finally {
      this.#isSweeping = false;
    }
  }
}
