/**
 * The liveness loop of one node: heartbeat, sweep for failed nodes, and recovery after a Redis outage.
 *
 * Recovery ("reconcile") runs when both connections are back, and when a heartbeat finds this node
 * unregistered (declared failed during a stall, or Redis lost its data). It re-registers, writes back every
 * session this node holds that Redis no longer has (from the `HeldSessions` mirror), tells the server about
 * the ones another node now holds, and re-reads their outboxes. Only then is the bus ready again, so no
 * operation reaches a Redis that has not got this node's sessions back.
 */
import { HEARTBEAT, SWEEP_FAILED_NODES, UNREGISTER } from './node-scripts.js';
import type { HeldSessions } from './held-sessions.js';
import type { RedisConnections } from './redis-connections.js';
import type { ResolvedRedisClusterBusOptions } from './redis-cluster-bus-options.js';
import { RESTORE_SESSION } from './session-scripts.js';

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
      let restored = 0;
      for (const session of held.all()) {
        const { record } = session;
        const rooms = [...session.rooms].flatMap(([room, m]) => [room, m.nicknameKey, m.value]);
        const outcome = await RESTORE_SESSION.run(connections.command, [
          prefix,
          nodeId,
          record.sessionId,
          record.peerId,
          record.resumeSecretHash,
          record.identity === undefined ? '0' : '1',
          record.identity ?? '',
          JSON.stringify(record.rooms),
          record.lastClientId,
          session.emitted,
          session.emitted - session.unacked.length,
          session.unacked.length,
          ...session.unacked.map((entry) => entry.json),
          ...rooms,
        ]);
        if (outcome === 'restored') {
          restored += 1;
          held.forgetEarly(record.sessionId);
        } else if (outcome === 'lost') {
          held.release(record.sessionId);
          this.#ctx.onSessionLost(record.sessionId);
        }
      }
      if (restored > 0)
        options.logger.warn({ restored }, 'Redis had lost sessions held here; wrote them back');
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
}
