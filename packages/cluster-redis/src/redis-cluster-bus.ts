/**
 * RedisClusterBus: the `ClusterBus` of a multi-node Switchboard, with all shared state in one Redis
 * (standalone or behind Sentinel; the scripts touch several keys each, so Redis Cluster is not supported).
 *
 * How it keeps the ClusterBus promises (packages/server/src/bus/cluster-bus.ts):
 * - Durable before acknowledged: `deliver()` is one Lua script that stamps the seq, appends to the target's
 *   outbox list and PUBLISHes once, to the holder's own channel only (no fan-out to every node, unlike
 *   socket.io's adapter, platforms.md §4.1). Any node can read the outbox back on resume.
 *   Delivery lives in redis-delivery.ts; a DELIVER whose reply a dropped connection lost is run again once
 *   Redis is back, idempotently by request id (ADR 0009).
 * - In-order wake-ups: `HeldSessions` re-orders and gap-fills what reaches this node (held-sessions.ts).
 * - Atomic rooms: each room change is one script checking nickname, capacity and the room's cap
 *   (room-scripts.ts, ADR 0006).
 * - Node failure: heartbeats with a TTL on Redis's clock; one script claims each dead node, detaches its
 *   sessions with `failedNodeId` set, and this node alone calls `onNodeFailure` (node-scripts.ts).
 * - Redis outage: the bus goes not-ready. Sessions held here keep working: their frames are sequenced on
 *   this node (outage-fallback.ts); a peer held elsewhere fails at once with CLUSTER_UNAVAILABLE; room
 *   changes wait up to `outageWaitMs`. When Redis returns the node re-registers, writes back its sessions
 *   and the frames sequenced meanwhile (write-back-scripts.ts), re-reads their outboxes (PUBLISHes sent
 *   meanwhile are lost), and goes ready again, with no process restart.
 */
import type { SequencedServerMessage, UnsequencedServerMessage } from '@switchboard/protocol';
import type {
  ClusterBus,
  ClusterBusLimits,
  ClusterBusListener,
  DeliverOrigin,
  DeliverPrecondition,
  DeliverResult,
  JoinRoomOptions,
  JoinRoomResult,
  MemberPatch,
  RoomMember,
  SessionRecord,
  UpdateMemberResult,
} from '@switchboard/server';
import type { Redis } from 'ioredis';
import { HeldSessions } from './held-sessions.js';
import { NodeHeartbeat } from './node-heartbeat.js';
import { OutageFallback } from './outage-fallback.js';
import { ReadinessGate, type BusRoute } from './readiness-gate.js';
import { RedisConnections } from './redis-connections.js';
import {
  resolveRedisClusterBusOptions,
  type RedisClusterBusOptions,
  type ResolvedRedisClusterBusOptions,
} from './redis-cluster-bus-options.js';
import { RedisDelivery } from './redis-delivery.js';
import { RedisRooms } from './redis-rooms.js';
import { RedisSessions } from './redis-sessions.js';

/**
 * A `ClusterBus` on Redis, for running several Switchboard nodes behind one address.
 *
 * @example
 * const bus = new RedisClusterBus({ url: 'redis://10.0.0.5:6379', logger });
 * const server = createServer({ bus });
 */
export class RedisClusterBus implements ClusterBus {
  /** This node's id, unique in the cluster. */
  readonly nodeId: string;
  /** `deliver()` checks `requireSharedRoomWith` inside the DELIVER script, atomically with the append. */
  readonly hasDeliverPreconditions = true;
  readonly #options: ResolvedRedisClusterBusOptions;
  readonly #prefix: string;
  readonly #held: HeldSessions;
  readonly #fallback: OutageFallback;
  readonly #gate: ReadinessGate;
  readonly #rooms: RedisRooms;
  readonly #sessions: RedisSessions;
  readonly #delivery: RedisDelivery;
  #listener: ClusterBusListener | undefined;
  #limits: ClusterBusLimits | undefined;
  #connections: RedisConnections | undefined;
  #heartbeat: NodeHeartbeat | undefined;

  constructor(options: RedisClusterBusOptions = {}) {
    this.#options = resolveRedisClusterBusOptions(options);
    this.nodeId = this.#options.nodeId;
    this.#prefix = this.#options.keyPrefix;
    this.#held = new HeldSessions(
      (sessionId, frames) => this.#listener?.onDeliver(sessionId, frames),
      (sessionId, afterSeq) => this.#delivery.readEntries(sessionId, afterSeq),
      this.#options.logger,
    );
    this.#fallback = new OutageFallback(this.#held, this.nodeId);
    this.#gate = new ReadinessGate(() => this.#connections?.isConnected ?? false, this.#options.outageWaitMs);
    this.#sessions = new RedisSessions({
      prefix: this.#prefix,
      nodeId: this.nodeId,
      options: this.#options,
      held: this.#held,
      fallback: this.#fallback,
      route: (sessionId) => this.#route(sessionId),
      redis: () => this.#redis(),
    });
    this.#delivery = new RedisDelivery({
      prefix: this.#prefix,
      nodeId: this.nodeId,
      held: this.#held,
      fallback: this.#fallback,
      listener: () => this.#listener,
      maxOutbox: () => this.#limitsOrThrow().maxOutbox,
      route: (canRunOffline) => this.#gate.route(canRunOffline),
      redis: () => this.#redis(),
    });
    this.#rooms = new RedisRooms({
      prefix: this.#prefix,
      held: this.#held,
      redis: () => this.#redis(),
      maxPeersPerRoom: () => this.#limitsOrThrow().maxPeersPerRoom,
    });
  }

  /** Whether Redis is reachable and this node's state in it is current. Feeds `/readyz`. */
  get isReady(): boolean {
    return this.#gate.isReady;
  }

  async start(listener: ClusterBusListener, limits: ClusterBusLimits): Promise<void> {
    if (this.#listener !== undefined) throw new Error('RedisClusterBus.start() was called twice.');
    this.#listener = listener;
    this.#limits = limits;
    const connections = new RedisConnections(
      this.#options.url,
      `${this.#prefix}node:${this.nodeId}`,
      this.#options.logger,
      {
        onMessage: (message) => this.#delivery.onMessage(message),
        onChange: () => {
          this.#heartbeat?.onConnectionChange();
          this.#gate.onConnectionChange();
        },
      },
    );
    this.#connections = connections;
    this.#heartbeat = new NodeHeartbeat({
      nodeId: this.nodeId,
      prefix: this.#prefix,
      options: this.#options,
      graceMs: limits.graceMs,
      connections,
      held: this.#held,
      setReady: (ready) => this.#setReady(ready),
      onSessionLost: (sessionId) => listener.onSessionTaken(sessionId),
      onNodeFailure: (nodeId, sessionIds) => listener.onNodeFailure(nodeId, sessionIds),
    });
    try {
      await connections.connect();
    } catch (error) {
      await connections.close();
      throw new Error(`RedisClusterBus could not connect to ${this.#options.url}.`, { cause: error });
    }
    await this.#heartbeat.start();
  }

  async close(): Promise<void> {
    const connections = this.#connections;
    if (connections === undefined) return;
    await this.#heartbeat?.stop();
    this.#gate.setReady(false);
    for (const held of this.#held.all()) this.#held.release(held.sessionId);
    await connections.close();
    this.#connections = undefined;
  }

  /**
   * Drop out of the cluster as if this process had crashed: stop heartbeating and cut the Redis connections
   * without unregistering or detaching anything. The other nodes declare this one failed after
   * `nodeFailureTimeoutMs`. For failure drills and tests (LiveKit's `SimulateScenario`, platforms.md §6.1).
   */
  abandon(): void {
    this.#heartbeat?.halt();
    this.#gate.setReady(false);
    for (const held of this.#held.all()) this.#held.release(held.sessionId);
    this.#connections?.drop();
    this.#connections = undefined;
  }

  // ---- sessions ----

  createSession(record: SessionRecord): Promise<void> {
    return this.#sessions.create(record);
  }

  getSession(sessionId: string): Promise<SessionRecord | undefined> {
    return this.#sessions.get(sessionId);
  }

  attachSession(sessionId: string): Promise<SessionRecord | undefined> {
    return this.#sessions.attach(sessionId);
  }

  detachSession(sessionId: string, expiresAt: number): Promise<void> {
    return this.#sessions.detach(sessionId, expiresAt);
  }

  updateSession(
    sessionId: string,
    patch: Partial<Pick<SessionRecord, 'rooms' | 'lastClientId'>>,
  ): Promise<void> {
    return this.#sessions.update(sessionId, patch);
  }

  deleteSession(sessionId: string): Promise<void> {
    return this.#sessions.delete(sessionId);
  }

  expiredSessions(now: number): Promise<readonly SessionRecord[]> {
    return this.#sessions.claimExpired(now);
  }

  // ---- delivery ----

  sessionOfPeer(peerId: string): Promise<string | undefined> {
    return this.#delivery.sessionOfPeer(peerId);
  }

  deliver(
    peerId: string,
    frame: UnsequencedServerMessage,
    origin?: DeliverOrigin,
    precondition?: DeliverPrecondition,
  ): Promise<DeliverResult> {
    return this.#delivery.deliver(peerId, frame, origin, precondition);
  }

  async readOutbox(sessionId: string, afterSeq: number): Promise<readonly SequencedServerMessage[]> {
    return this.#delivery.readOutbox(sessionId, afterSeq, await this.#route(sessionId));
  }

  async ackOutbox(sessionId: string, seq: number): Promise<void> {
    await this.#delivery.ackOutbox(sessionId, seq, await this.#route(sessionId));
  }

  // ---- rooms and presence ----

  joinRoom(room: string, member: RoomMember, options?: JoinRoomOptions): Promise<JoinRoomResult> {
    return this.#rooms.join(room, member, options);
  }

  leaveRoom(room: string, peerId: string): Promise<RoomMember | undefined> {
    return this.#rooms.leave(room, peerId);
  }

  updateMember(room: string, peerId: string, patch: MemberPatch): Promise<UpdateMemberResult> {
    return this.#rooms.update(room, peerId, patch);
  }

  roomMembers(room: string): Promise<readonly RoomMember[]> {
    return this.#rooms.members(room);
  }

  // ---- internals ----

  #limitsOrThrow(): ClusterBusLimits {
    if (this.#limits === undefined) throw new Error('RedisClusterBus is not started: call start() first.');
    return this.#limits;
  }

  #setReady(ready: boolean): void {
    if (!this.#gate.setReady(ready)) return;
    this.#options.logger.info(
      { nodeId: this.nodeId, ready },
      ready ? 'cluster bus ready' : 'cluster bus not ready',
    );
    this.#listener?.onReadyChange?.(ready);
  }

  /** Where an operation on one session runs: offline only for a session this node holds. */
  #route(sessionId: string): Promise<BusRoute> {
    return this.#gate.route(this.#held.get(sessionId) !== undefined);
  }

  /** The command connection once ready; waits up to `outageWaitMs` through an outage, then fails. */
  async #redis(): Promise<Redis> {
    const connections = this.#connections;
    if (connections === undefined) throw new Error('RedisClusterBus is not started: call start() first.');
    await this.#gate.route(false);
    return connections.command;
  }
}
