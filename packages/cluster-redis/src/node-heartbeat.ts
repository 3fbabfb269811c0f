/**
 * The liveness loop of one node: heartbeat, sweep for failed nodes, and recovery after a Redis outage.
 *
 * Recovery ("reconcile") runs when both connections are back, and when a heartbeat finds this node
 * unregistered (declared failed during a stall, or Redis lost its data). It re-registers, writes back every
 * session this node holds (from the `HeldSessions` mirror: the whole session if Redis lost it, and the frames
 * sequenced here during the outage either way, see write-back-scripts.ts), applies the detaches that waited
 * for Redis, tells the server about the sessions another node now holds, and re-reads the outboxes. Only
 * then is the bus ready again, so no operation reaches a Redis that has not got this node's sessions back.
 */
import { HEARTBEAT, SWEEP_FAILED_NODES, UNREGISTER } from './node-scripts.js';
import type { HeldSession, HeldSessions } from './held-sessions.js';
import type { RedisConnections } from './redis-connections.js';
import type { ResolvedRedisClusterBusOptions } from './redis-cluster-bus-options.js';
import { sessionArgs } from './record-codec.js';
import { DETACH_SESSION } from './session-scripts.js';
import { WRITE_BACK_SESSION } from './write-back-scripts.js';

/** What the loop needs from its bus. */
export interface NodeHeartbeatContext {
  readonly nodeId: string;
  readonly prefix: string;
  readonly options: ResolvedRedisClusterBusOptions;
  /** Grace window for the sessions of a failed node, in ms. */
  readonly graceMs: number;
  readonly connections: RedisConnections;
  readonly held: HeldSessions;
  setReady(ready: boolean): void;
  /** A held session is now held by another node, or gone: close its socket. */
  onSessionLost(sessionId: string): void;
  onNodeFailure(nodeId: string, sessionIds: readonly string[]): void;
}

/** Heartbeat, failure sweep and recovery for one node. */
export class NodeHeartbeat {
  readonly #ctx: NodeHeartbeatContext;
  #timer: NodeJS.Timeout | undefined;
  #isStopped = false;
  #isReconciling = false;
  /** Whether the last recovery completed since the connections last dropped. */
  #isCurrent = false;
  #tick: Promise<void> = Promise.resolve();

  constructor(context: NodeHeartbeatContext) {
    this.#ctx = context;
  }

  /** Register this node (first reconcile) and start the loop. */
  async start(): Promise<void> {
    await this.#reconcile();
    this.#schedule();
  }

  /** A connection went down or came back. */
  onConnectionChange(): void {
    if (this.#isStopped) return;
    if (!this.#ctx.connections.isConnected) {
      this.#isCurrent = false;
      this.#ctx.setReady(false);
    } else if (!this.#isCurrent) {
      void this.#reconcile();
    }
  }

  /**
   * Stop the loop. If Redis is reachable, detach the sessions still held here (their grace windows start,
   * so a client that never resumes elsewhere times out instead of lingering) and unregister.
   */
  async stop(): Promise<void> {
    this.#isStopped = true;
    clearTimeout(this.#timer);
    await this.#tick;
    const { connections, prefix, nodeId, options, graceMs } = this.#ctx;
    if (!connections.isConnected) return;
    try {
      await SWEEP_FAILED_NODES.run(connections.command, [
        prefix,
        nodeId,
        Date.now(),
        graceMs,
        options.retentionMs,
        nodeId,
      ]);
      await UNREGISTER.run(connections.command, [prefix, nodeId]);
    } catch (error) {
      options.logger.warn(
        { err: error },
        'could not unregister from Redis; the node will be swept as failed',
      );
    }
  }

  /** Stop the loop without a word to Redis: the node's liveness key simply runs out, as after a crash. */
  halt(): void {
    this.#isStopped = true;
    clearTimeout(this.#timer);
  }

  #schedule(): void {
    if (this.#isStopped) return;
    this.#timer = setTimeout(() => {
      this.#tick = this.#beat().finally(() => this.#schedule());
    }, this.#ctx.options.heartbeatIntervalMs);
  }

  async #beat(): Promise<void> {
    const { connections, prefix, nodeId, options, graceMs } = this.#ctx;
    if (!connections.isConnected) return;
    if (!this.#isCurrent) {
      await this.#reconcile();
      return;
    }
    try {
      const wasMissing = await HEARTBEAT.run(connections.command, [
        prefix,
        nodeId,
        options.nodeFailureTimeoutMs,
      ]);
      if (wasMissing === 1) {
        options.logger.warn({ nodeId }, 'this node was unregistered from Redis; reconciling its sessions');
        await this.#reconcile();
      }
      const failures = (await SWEEP_FAILED_NODES.run(connections.command, [
        prefix,
        nodeId,
        Date.now(),
        graceMs,
        options.retentionMs,
        '',
      ])) as [string, string[]][];
      for (const [failed, sessionIds] of failures) {
        options.logger.warn({ failedNodeId: failed, sessions: sessionIds.length }, 'node declared failed');
        this.#ctx.onNodeFailure(failed, sessionIds);
      }
    } catch (error) {
      options.logger.debug({ err: error }, 'heartbeat failed');
    }
  }

  async #reconcile(): Promise<void> {
    const { connections, prefix, nodeId, options, held } = this.#ctx;
    if (this.#isReconciling || this.#isStopped) return;
    this.#isReconciling = true;
    try {
      await connections.subscribe();
      await HEARTBEAT.run(connections.command, [prefix, nodeId, options.nodeFailureTimeoutMs]);
      // A connection that drops and returns while this runs lets frames be sequenced here again, after
      // their session was written back; going ready then would let Redis hand out the same seqs. So pass
      // again until nothing waits (bounded: a flapping connection leaves the retry to the next heartbeat).
      let restored = 0;
      for (let pass = 1; ; pass += 1) {
        for (const session of held.all()) if (await this.#handBack(session)) restored += 1;
        if (pass === 3 || !this.#isWaitingForRedis()) break;
      }
      if (restored > 0)
        options.logger.warn({ restored }, 'Redis had lost sessions held here; wrote them back');
      if (this.#isWaitingForRedis()) return;
      held.refillAll();
      if (connections.isConnected) {
        this.#isCurrent = true;
        this.#ctx.setReady(true);
      }
    } catch (error) {
      // The next connection change or heartbeat tries again.
      options.logger.warn({ err: error }, 'recovery after Redis outage failed; retrying');
    } finally {
      this.#isReconciling = false;
    }
  }

  /** Whether a held session has frames or a detach that Redis has not got yet. */
  #isWaitingForRedis(): boolean {
    return this.#ctx.held
      .all()
      .some((session) => session.localBase !== undefined || session.pendingExpiresAt !== undefined);
  }

  /** Write one held session back and settle it locally. Returns whether Redis had lost it. */
  async #handBack(session: HeldSession): Promise<boolean> {
    const { connections, prefix, nodeId, options, held } = this.#ctx;
    const top = session.emitted;
    const outcome = await this.#writeBack(session);
    if (held.get(session.sessionId) !== session) return false;
    if (outcome === 'lost' || outcome === 'conflict') {
      if (outcome === 'conflict' || session.localBase !== undefined)
        options.logger.warn(
          { sessionId: session.sessionId, outcome, localFrames: top - (session.localBase ?? top) },
          'a session held here moved on during the outage; closing it so its client resumes',
        );
      held.release(session.sessionId);
      this.#ctx.onSessionLost(session.sessionId);
      return false;
    }
    if (outcome === 'restored') held.forgetEarly(session.sessionId);
    held.settleLocal(session, top);
    if (session.pendingExpiresAt !== undefined && session.localBase === undefined) {
      // The socket closed during the outage: its grace window starts now that Redis can record it.
      await DETACH_SESSION.run(connections.command, [
        prefix,
        session.sessionId,
        Math.floor(session.pendingExpiresAt),
        options.retentionMs,
        nodeId,
      ]);
      if (held.get(session.sessionId) === session) held.release(session.sessionId);
    }
    return outcome === 'restored';
  }

  /** Run the write-back script for one held session (write-back-scripts.ts). */
  async #writeBack(session: HeldSession): Promise<unknown> {
    const { connections, prefix, nodeId } = this.#ctx;
    const { record, unacked, emitted } = session;
    const rooms = [...session.rooms].flatMap(([room, m]) => [room, m.nicknameKey, m.value, m.roomCap ?? '']);
    return WRITE_BACK_SESSION.run(connections.command, [
      prefix,
      nodeId,
      ...sessionArgs(record),
      emitted,
      emitted - unacked.length,
      session.localBase ?? emitted,
      unacked.length,
      ...unacked.map((entry) => entry.json),
      ...rooms,
    ]);
  }
}
