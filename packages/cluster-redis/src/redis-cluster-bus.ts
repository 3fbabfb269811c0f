/**
 * RedisClusterBus: the `ClusterBus` of a multi-node Switchboard, with all shared state in one Redis
 * (standalone or behind Sentinel; the scripts touch several keys each, so Redis Cluster is not supported).
 *
 * How it keeps the ClusterBus promises (packages/server/src/bus/cluster-bus.ts):
 * - Durable before acknowledged: `deliver()` is one Lua script that stamps the seq, appends to the target's
 *   outbox list and PUBLISHes once, to the holder's own channel only (no fan-out to every node, unlike
 *   socket.io's adapter, platforms.md §4.1). Any node can read the outbox back on resume.
 * - In-order wake-ups: `HeldSessions` re-orders and gap-fills what reaches this node (held-sessions.ts).
 * - Atomic rooms: each room change is one script checking nickname and capacity (room-scripts.ts).
 * - Node failure: heartbeats with a TTL on Redis's clock; one script claims each dead node, detaches its
 *   sessions with `failedNodeId` set, and this node alone calls `onNodeFailure` (node-scripts.ts).
 * - Redis outage: the bus goes not-ready and operations wait up to `outageWaitMs`. When Redis returns it
 *   re-registers, writes back the sessions it holds if Redis lost them, re-reads their outboxes (PUBLISHes
 *   sent meanwhile are lost), and goes ready again, with no process restart.
 */
import type { SequencedServerMessage, UnsequencedServerMessage } from '@switchboard/protocol';
import { SwitchboardError } from '@switchboard/protocol';
import type {
  ClusterBus,
  ClusterBusLimits,
  ClusterBusListener,
  DeliverOrigin,
  DeliverResult,
  JoinRoomResult,
  RoomMember,
  SessionRecord,
  UpdateMemberResult,
} from '@switchboard/server';
import type { Redis } from 'ioredis';
import { ACK_OUTBOX, DELIVER, READ_OUTBOX } from './delivery-scripts.js';
import { HeldSessions, entryOf, type HeldMembership, type OutboxEntry } from './held-sessions.js';
import { NodeHeartbeat } from './node-heartbeat.js';
import {
  decodeMember,
  decodeMembers,
  decodeSession,
  encodeMemberJson,
  fieldsOf,
  stateChar,
} from './record-codec.js';
import { RedisConnections } from './redis-connections.js';
import {
  resolveRedisClusterBusOptions,
  type RedisClusterBusOptions,
  type ResolvedRedisClusterBusOptions,
} from './redis-cluster-bus-options.js';
import { JOIN_ROOM, LEAVE_ROOM, UPDATE_MEMBER } from './room-scripts.js';
import {
  ATTACH_SESSION,
  CLAIM_EXPIRED,
  CREATE_SESSION,
  DELETE_SESSION,
  DETACH_SESSION,
  SESSION_OF_PEER,
  UPDATE_SESSION,
} from './session-scripts.js';

/** How many expired sessions one `expiredSessions` call claims; the server sweeps again soon after. */
const EXPIRY_BATCH = 100;

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
  readonly #options: ResolvedRedisClusterBusOptions;
  readonly #prefix: string;
  readonly #held: HeldSessions;
  readonly #readyWaiters = new Set<() => void>();
  #listener: ClusterBusListener | undefined;
  #limits: ClusterBusLimits | undefined;
  #connections: RedisConnections | undefined;
  #heartbeat: NodeHeartbeat | undefined;
  #isReady = false;

  constructor(options: RedisClusterBusOptions = {}) {
    this.#options = resolveRedisClusterBusOptions(options);
    this.nodeId = this.#options.nodeId;
    this.#prefix = this.#options.keyPrefix;
    this.#held = new HeldSessions(
      (sessionId, frames) => this.#listener?.onDeliver(sessionId, frames),
      (sessionId, afterSeq) => this.#readEntries(sessionId, afterSeq),
      this.#options.logger,
    );
  }

  /** Whether Redis is reachable and this node's state in it is current. Feeds `/readyz`. */
  get isReady(): boolean {
    return this.#isReady;
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
        onMessage: (message) => this.#onMessage(message),
        onChange: () => this.#heartbeat?.onConnectionChange(),
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
    this.#isReady = false;
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
    this.#isReady = false;
    for (const held of this.#held.all()) this.#held.release(held.sessionId);
    this.#connections?.drop();
    this.#connections = undefined;
  }

  // ---- sessions ----

  async createSession(record: SessionRecord): Promise<void> {
    const redis = await this.#redis();
    // Held first: no frame can be addressed to a peer nobody knows yet, so nothing arrives too early.
    this.#held.hold({ ...this.#withoutFailure(record), nodeId: this.nodeId, expiresAt: undefined }, 0);
    await CREATE_SESSION.run(redis, [
      this.#prefix,
      record.sessionId,
      record.peerId,
      record.resumeSecretHash,
      record.identity === undefined ? '0' : '1',
      record.identity ?? '',
      JSON.stringify(record.rooms),
      record.lastClientId,
      this.nodeId,
    ]);
  }

  async getSession(sessionId: string): Promise<SessionRecord | undefined> {
    const redis = await this.#redis();
    const fields = new Map(Object.entries(await redis.hgetall(`${this.#prefix}session:${sessionId}`)));
    if (fields.size === 0 || fields.has('gone')) return undefined;
    const record = decodeSession(fields);
    const isExpired =
      record.nodeId === undefined && record.expiresAt !== undefined && record.expiresAt <= Date.now();
    return isExpired ? undefined : record;
  }

  async attachSession(sessionId: string): Promise<SessionRecord | undefined> {
    const redis = await this.#redis();
    const reply = (await ATTACH_SESSION.run(redis, [this.#prefix, sessionId, this.nodeId, Date.now()])) as
      [string[], string[]] | null;
    if (reply === null) return undefined;
    const fields = fieldsOf(reply[0]);
    const before = decodeSession(fields);
    const rooms = new Map<string, HeldMembership>();
    for (let i = 0; i + 1 < reply[1].length; i += 2) {
      const value = reply[1][i + 1] ?? '';
      rooms.set(reply[1][i] ?? '', { nicknameKey: decodeMember(value).member.nicknameKey, value });
    }
    const record = { ...this.#withoutFailure(before), nodeId: this.nodeId, expiresAt: undefined };
    this.#held.hold(record, Number(fields.get('seq') ?? '0'), rooms);
    // A frame stored between the attach and our hold may have been published before we held the session.
    this.#held.refill(sessionId);
    return before;
  }

  async detachSession(sessionId: string, expiresAt: number): Promise<void> {
    const redis = await this.#redis();
    this.#held.release(sessionId);
    await DETACH_SESSION.run(redis, [
      this.#prefix,
      sessionId,
      Math.floor(expiresAt),
      this.#options.retentionMs,
      this.nodeId,
    ]);
  }

  async updateSession(
    sessionId: string,
    patch: Partial<Pick<SessionRecord, 'rooms' | 'lastClientId'>>,
  ): Promise<void> {
    const redis = await this.#redis();
    const rooms = patch.rooms === undefined ? '' : JSON.stringify(patch.rooms);
    const lastClientId = patch.lastClientId === undefined ? '' : String(patch.lastClientId);
    await UPDATE_SESSION.run(redis, [this.#prefix, sessionId, rooms, lastClientId]);
    const held = this.#held.get(sessionId);
    if (held !== undefined) held.record = { ...held.record, ...patch };
  }

  async deleteSession(sessionId: string): Promise<void> {
    const redis = await this.#redis();
    this.#held.release(sessionId);
    await DELETE_SESSION.run(redis, [this.#prefix, sessionId]);
  }

  async expiredSessions(now: number): Promise<readonly SessionRecord[]> {
    const redis = await this.#redis();
    const claimUntil = Math.floor(now) + this.#options.expiryClaimMs;
    const reply = (await CLAIM_EXPIRED.run(redis, [
      this.#prefix,
      Math.floor(now),
      claimUntil,
      EXPIRY_BATCH,
    ])) as string[][];
    return reply.map((flat) => decodeSession(fieldsOf(flat)));
  }

  // ---- delivery ----

  async sessionOfPeer(peerId: string): Promise<string | undefined> {
    const redis = await this.#redis();
    const sessionId = (await SESSION_OF_PEER.run(redis, [this.#prefix, peerId, Date.now()])) as string | null;
    return sessionId ?? undefined;
  }

  async deliver(
    peerId: string,
    frame: UnsequencedServerMessage,
    origin?: DeliverOrigin,
  ): Promise<DeliverResult> {
    const redis = await this.#redis();
    // Serialised once here; the script prepends `{"seq":N,` so Redis never parses the payload.
    const body = JSON.stringify(frame).slice(1);
    const reply = (await DELIVER.run(redis, [
      this.#prefix,
      peerId,
      body,
      this.#limitsOrThrow().maxOutbox,
      this.nodeId,
      Date.now(),
      origin?.sessionId ?? '',
      origin?.requestId ?? 0,
    ])) as [number, string?, string?];
    const [seq, sessionId = '', holder = ''] = reply;
    if (seq === 0) return { ok: false, code: 'PEER_NOT_FOUND' };
    if (seq === -1) return { ok: false, code: 'OUTBOX_FULL' };
    const sender = origin === undefined ? undefined : this.#held.get(origin.sessionId);
    if (sender !== undefined && origin !== undefined && origin.requestId > sender.record.lastClientId) {
      sender.record = { ...sender.record, lastClientId: origin.requestId };
    }
    if (holder === this.nodeId) {
      const stamped = { ...frame, seq };
      this.#held.accept(sessionId, [{ seq, json: `{"seq":${seq},${body}`, frame: stamped }]);
    }
    return { ok: true, seq };
  }

  async readOutbox(sessionId: string, afterSeq: number): Promise<readonly SequencedServerMessage[]> {
    return (await this.#readEntries(sessionId, afterSeq)).map((entry) => entry.frame);
  }

  async ackOutbox(sessionId: string, seq: number): Promise<void> {
    const redis = await this.#redis();
    this.#held.ack(sessionId, seq);
    await ACK_OUTBOX.run(redis, [this.#prefix, sessionId, Math.floor(seq)]);
  }

  // ---- rooms and presence ----

  async joinRoom(room: string, member: RoomMember): Promise<JoinRoomResult> {
    const redis = await this.#redis();
    const reply = (await JOIN_ROOM.run(redis, [
      this.#prefix,
      room,
      member.peerId,
      member.nicknameKey,
      encodeMemberJson(member),
      stateChar(member.state),
      this.#limitsOrThrow().maxPeersPerRoom,
    ])) as string[];
    const [status, stored = '', ...others] = reply;
    if (status === 'NICKNAME_TAKEN' || status === 'ROOM_FULL') return { ok: false, code: status };
    this.#held.get(member.sessionId)?.rooms.set(room, { nicknameKey: member.nicknameKey, value: stored });
    return { ok: true, members: decodeMembers(others) };
  }

  async leaveRoom(room: string, peerId: string): Promise<RoomMember | undefined> {
    const redis = await this.#redis();
    const value = (await LEAVE_ROOM.run(redis, [this.#prefix, room, peerId])) as string | null;
    if (value === null) return undefined;
    const { member } = decodeMember(value);
    this.#held.get(member.sessionId)?.rooms.delete(room);
    return member;
  }

  async updateMember(
    room: string,
    peerId: string,
    patch: {
      readonly metadata?: RoomMember['metadata'];
      readonly nicknameKey?: string;
      readonly state?: RoomMember['state'];
    },
  ): Promise<UpdateMemberResult> {
    const redis = await this.#redis();
    const reply = (await UPDATE_MEMBER.run(redis, [
      this.#prefix,
      room,
      peerId,
      patch.metadata === undefined ? '' : JSON.stringify(patch.metadata),
      patch.nicknameKey ?? '',
      patch.state === undefined ? '' : stateChar(patch.state),
    ])) as string[];
    const [status, value = ''] = reply;
    if (status === 'NOT_IN_ROOM' || status === 'NICKNAME_TAKEN') return { ok: false, code: status };
    const { member } = decodeMember(value);
    this.#held.get(member.sessionId)?.rooms.set(room, { nicknameKey: member.nicknameKey, value });
    return { ok: true, member };
  }

  async roomMembers(room: string): Promise<readonly RoomMember[]> {
    const redis = await this.#redis();
    return decodeMembers(await redis.hvals(`${this.#prefix}room:${room}`));
  }

  // ---- internals ----

  #onMessage(message: string): void {
    if (message.startsWith('D')) {
      const newline = message.indexOf('\n');
      this.#held.accept(message.slice(1, newline), [entryOf(message.slice(newline + 1))]);
    } else if (message.startsWith('T')) {
      const sessionId = message.slice(1);
      if (this.#held.get(sessionId) === undefined) return;
      this.#held.release(sessionId);
      this.#listener?.onSessionTaken(sessionId);
    }
  }

  async #readEntries(sessionId: string, afterSeq: number): Promise<OutboxEntry[]> {
    const redis = await this.#redis();
    const frames = (await READ_OUTBOX.run(redis, [
      this.#prefix,
      sessionId,
      Math.floor(afterSeq),
    ])) as string[];
    return frames.map(entryOf);
  }

  #withoutFailure(record: SessionRecord): SessionRecord {
    const { failedNodeId: _failedNodeId, ...rest } = record;
    return rest;
  }

  #limitsOrThrow(): ClusterBusLimits {
    if (this.#limits === undefined) throw new Error('RedisClusterBus is not started: call start() first.');
    return this.#limits;
  }

  #setReady(ready: boolean): void {
    if (ready === this.#isReady) return;
    this.#isReady = ready;
    this.#options.logger.info(
      { nodeId: this.nodeId, ready },
      ready ? 'cluster bus ready' : 'cluster bus not ready',
    );
    if (ready) {
      for (const wake of this.#readyWaiters) wake();
      this.#readyWaiters.clear();
    }
    this.#listener?.onReadyChange?.(ready);
  }

  /** The command connection once ready; waits up to `outageWaitMs` through an outage, then fails. */
  async #redis(): Promise<Redis> {
    const connections = this.#connections;
    if (connections === undefined) throw new Error('RedisClusterBus is not started: call start() first.');
    if (this.#isReady) return connections.command;
    const waitMs = this.#options.outageWaitMs;
    await new Promise<void>((resolve, reject) => {
      const wake = (): void => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.#readyWaiters.delete(wake);
        reject(
          new SwitchboardError('INTERNAL_ERROR', `Redis has been unavailable for ${waitMs} ms; try again.`),
        );
      }, waitMs);
      this.#readyWaiters.add(wake);
    });
    return connections.command;
  }
}
