/**
 * The shared state of the in-memory cluster: sessions with their outboxes, rooms, and the nodes (each an
 * `InMemoryClusterBus`) that share them. One hub with several buses is a cluster inside one process; that
 * is how the contract suite exercises takeover, cross-node delivery and node failure without Redis.
 *
 * Every operation completes synchronously, so a bus over it needs no I/O and no timers.
 */
import type { SequencedServerMessage, UnsequencedServerMessage } from '@switchboard/protocol';
import { Outbox } from '../sessions/outbox.js';
import { RoomRegistry } from '../rooms/room-registry.js';
import type {
  ClusterBusLimits,
  ClusterBusListener,
  DeliverPrecondition,
  DeliverResult,
  DeliverySink,
  InlineSessionOps,
  RoomMember,
  SessionRecord,
} from './cluster-bus.js';

// Shared, immutable failure results: the relay's hot path allocates none.
const PEER_NOT_FOUND: DeliverResult = { ok: false, code: 'PEER_NOT_FOUND' };
const SIGNAL_FORBIDDEN: DeliverResult = { ok: false, code: 'SIGNAL_FORBIDDEN' };
const OUTBOX_FULL: DeliverResult = { ok: false, code: 'OUTBOX_FULL' };

/** Options of a hub (the shared state of in-process nodes). */
export interface InMemoryClusterHubOptions {
  /**
   * How long after a node stops (see `InMemoryClusterHub.crash`) it is declared failed, in ms.
   * @default 5000
   */
  readonly nodeFailureTimeoutMs?: number;
  /** The clock. @default Date.now */
  readonly now?: () => number;
}

interface NodeEntry {
  readonly nodeId: string;
  readonly listener: ClusterBusListener;
  readonly limits: ClusterBusLimits;
  /** False once the node crashed or was removed (a stale `StoredSession.holder` then counts for nothing). */
  isAlive: boolean;
}

/**
 * @internal A session as the hub stores it. It is also the session's own `InlineSessionOps`, handed to the
 * node that holds it, so its acks and `lastClientId` writes need no lookup by id.
 */
export class StoredSession implements InlineSessionOps {
  /** Read it through `InMemoryClusterHub.recordOf`, which folds in `lastClientId`. */
  record: SessionRecord;
  /**
   * The persisted `lastClientId`, newer than `record.lastClientId` until the record is next read. It is
   * written once per acknowledged request (once per relayed signal), so it is kept apart from the immutable
   * record: copying the whole record on each write was 3 % of the relay's profile.
   */
  lastClientId: number;
  readonly outbox: Outbox;
  /** Claimed by an expiry sweep: gone for everyone but the sweeper, which deletes it. */
  isClaimed = false;
  /** The node that holds the session (`InlineClusterOps.hold`), and its object for it. */
  holder: NodeEntry | undefined = undefined;
  sink: DeliverySink | undefined = undefined;

  constructor(record: SessionRecord, maxOutbox: number) {
    this.record = record;
    this.lastClientId = record.lastClientId;
    this.outbox = new Outbox(maxOutbox);
  }

  ackOutbox(seq: number): void {
    this.outbox.ack(seq);
  }

  persistClientId(lastClientId: number): void {
    this.lastClientId = lastClientId;
  }
}

/** Shared state of in-process nodes. A bus made without one gets its own hub (a single-node cluster). */
export class InMemoryClusterHub {
  readonly #sessions = new Map<string, StoredSession>();
  /**
   * Each peer id's session, the stored object itself rather than its id: the relay's hot path finds a
   * signal's target with one map lookup, not two (`deliver` was about 5 % of server CPU at 1,000 pairs,
   * most of it lookups in maps of 2,000 sessions).
   */
  readonly #sessionByPeer = new Map<string, StoredSession>();
  readonly #rooms = new RoomRegistry();
  readonly #nodes = new Map<string, NodeEntry>();
  readonly #failureTimers = new Set<NodeJS.Timeout>();
  readonly #nodeFailureTimeoutMs: number;
  /** The clock. */
  readonly now: () => number;

  constructor(options: InMemoryClusterHubOptions = {}) {
    this.#nodeFailureTimeoutMs = options.nodeFailureTimeoutMs ?? 5000;
    this.now = options.now ?? Date.now;
  }

  /** Number of live sessions (attached or in their grace window). */
  get sessionCount(): number {
    return this.#sessions.size;
  }

  /** Number of non-empty rooms. */
  get roomCount(): number {
    return this.#rooms.size;
  }

  /**
   * Make node `nodeId` stop as if its process died: it gets no more callbacks, and after
   * `nodeFailureTimeoutMs` it is declared failed. For tests of node failure.
   */
  crash(nodeId: string): void {
    const node = this.#nodes.get(nodeId);
    if (node === undefined) return;
    node.isAlive = false;
    const timer = setTimeout(() => {
      this.#failureTimers.delete(timer);
      this.#declareFailed(nodeId);
    }, this.#nodeFailureTimeoutMs);
    this.#failureTimers.add(timer);
  }

  /** @internal */
  addNode(nodeId: string, listener: ClusterBusListener, limits: ClusterBusLimits): void {
    if (this.#nodes.has(nodeId)) throw new Error(`node ${nodeId} is already started on this hub`);
    this.#nodes.set(nodeId, { nodeId, listener, limits, isAlive: true });
  }

  /** @internal A clean stop: this node's sessions are detached with their grace window, quietly. */
  removeNode(nodeId: string): void {
    const node = this.#nodes.get(nodeId);
    if (node === undefined) return;
    this.#nodes.delete(nodeId);
    node.isAlive = false;
    const expiresAt = this.now() + node.limits.graceMs;
    for (const [sessionId, stored] of this.#sessions) {
      if (stored.record.nodeId === nodeId) this.detach(sessionId, expiresAt);
    }
    if (this.#nodes.size === 0) {
      for (const timer of this.#failureTimers) clearTimeout(timer);
      this.#failureTimers.clear();
    }
  }

  /** @internal */
  limitsOf(nodeId: string): ClusterBusLimits {
    const node = this.#nodes.get(nodeId);
    if (node === undefined) throw new Error(`node ${nodeId} is not started`);
    return node.limits;
  }

  /** @internal */
  create(record: SessionRecord, maxOutbox: number): void {
    const stored = new StoredSession(record, maxOutbox);
    this.#sessions.set(record.sessionId, stored);
    this.#sessionByPeer.set(record.peerId, stored);
  }

  /** @internal A live (not expired) session. */
  live(sessionId: string): StoredSession | undefined {
    const stored = this.#sessions.get(sessionId);
    return stored !== undefined && this.#isLive(stored) ? stored : undefined;
  }

  /** @internal The session's record, with the latest persisted `lastClientId`. */
  recordOf(stored: StoredSession): SessionRecord {
    if (stored.record.lastClientId !== stored.lastClientId)
      stored.record = { ...stored.record, lastClientId: stored.lastClientId };
    return stored.record;
  }

  /** @internal */
  attach(sessionId: string, nodeId: string): SessionRecord | undefined {
    const stored = this.live(sessionId);
    if (stored === undefined) return undefined;
    const before = this.recordOf(stored);
    stored.record = { ...before, nodeId, expiresAt: undefined };
    this.#setState(before, 'online');
    if (before.nodeId !== undefined && before.nodeId !== nodeId) {
      const previous = this.#nodes.get(before.nodeId);
      if (previous?.isAlive === true) previous.listener.onSessionTaken(sessionId);
    }
    return before;
  }

  /** @internal */
  detach(sessionId: string, expiresAt: number): void {
    const stored = this.#sessions.get(sessionId);
    if (stored === undefined) return;
    stored.record = { ...this.recordOf(stored), nodeId: undefined, expiresAt };
    this.#setState(stored.record, 'reconnecting');
  }

  /** @internal */
  update(sessionId: string, patch: Partial<Pick<SessionRecord, 'rooms' | 'lastClientId'>>): void {
    const stored = this.#sessions.get(sessionId);
    if (stored === undefined) return;
    stored.record = { ...this.recordOf(stored), ...patch };
    stored.lastClientId = stored.record.lastClientId;
  }

  /** @internal `update` of `lastClientId` alone, without copying the record (the relay's hot path). */
  persistClientId(sessionId: string, lastClientId: number): void {
    this.#sessions.get(sessionId)?.persistClientId(lastClientId);
  }

  /** @internal `InlineClusterOps.hold` for node `nodeId`. */
  hold(sessionId: string, nodeId: string, sink: DeliverySink): StoredSession | undefined {
    const stored = this.#sessions.get(sessionId);
    const node = this.#nodes.get(nodeId);
    if (stored === undefined || node === undefined) return undefined;
    stored.holder = node;
    stored.sink = sink;
    return stored;
  }

  /** @internal `InlineClusterOps.release`. */
  release(sessionId: string, sink: DeliverySink): void {
    const stored = this.#sessions.get(sessionId);
    if (stored?.sink !== sink) return;
    stored.holder = undefined;
    stored.sink = undefined;
  }

  /** @internal */
  delete(sessionId: string): void {
    const stored = this.#sessions.get(sessionId);
    if (stored === undefined) return;
    this.#sessions.delete(sessionId);
    if (this.#sessionByPeer.get(stored.record.peerId) === stored)
      this.#sessionByPeer.delete(stored.record.peerId);
  }

  /** @internal Claims expired sessions: they are returned once, and a later call no longer sees them. */
  claimExpired(now: number): SessionRecord[] {
    const expired: SessionRecord[] = [];
    for (const stored of this.#sessions.values()) {
      const { nodeId, expiresAt } = stored.record;
      if (!stored.isClaimed && nodeId === undefined && expiresAt !== undefined && expiresAt <= now) {
        expired.push(this.recordOf(stored));
        stored.isClaimed = true;
      }
    }
    return expired;
  }

  /** @internal */
  sessionOfPeer(peerId: string): string | undefined {
    const stored = this.#sessionByPeer.get(peerId);
    return stored !== undefined && this.#isLive(stored) ? stored.record.sessionId : undefined;
  }

  /** @internal */
  deliver(
    peerId: string,
    frame: UnsequencedServerMessage,
    precondition: DeliverPrecondition | undefined,
  ): DeliverResult {
    const stored = this.#sessionByPeer.get(peerId);
    if (stored === undefined || !this.#isLive(stored)) return PEER_NOT_FOUND;
    const rooms = precondition?.requireSharedRoomWith;
    if (rooms !== undefined && !this.#isMemberOfAny(peerId, rooms)) return SIGNAL_FORBIDDEN;
    const stamped = stored.outbox.append(frame);
    if (stamped === undefined) return OUTBOX_FULL;
    this.#wake(stored, stamped);
    return { ok: true, seq: stamped.seq };
  }

  /** @internal */
  readOutbox(sessionId: string, afterSeq: number): SequencedServerMessage[] {
    return this.#sessions.get(sessionId)?.outbox.after(afterSeq) ?? [];
  }

  /** @internal */
  ackOutbox(sessionId: string, seq: number): void {
    this.#sessions.get(sessionId)?.ackOutbox(seq);
  }

  /** @internal */
  get rooms(): RoomRegistry {
    return this.#rooms;
  }

  /**
   * Wake the node the session is attached to: straight into its object for the session when that node holds
   * it (`hold`), else through the node's listener, which finds the session by id.
   */
  #wake(stored: StoredSession, stamped: SequencedServerMessage): void {
    const nodeId = stored.record.nodeId;
    if (nodeId === undefined) return;
    const holder = stored.holder;
    if (holder !== undefined && holder.isAlive && holder.nodeId === nodeId) {
      stored.sink?.deliverOne(stamped);
      return;
    }
    const node = this.#nodes.get(nodeId);
    if (node?.isAlive === true) node.listener.onDeliver(stored.record.sessionId, [stamped]);
  }

  /** Neither claimed by an expiry sweep nor detached past its grace window. */
  #isLive(stored: StoredSession): boolean {
    if (stored.isClaimed) return false;
    const { expiresAt, nodeId } = stored.record;
    return nodeId !== undefined || expiresAt === undefined || expiresAt > this.now();
  }

  #isMemberOfAny(peerId: string, rooms: readonly string[]): boolean {
    for (const room of rooms) if (this.#rooms.member(room, peerId) !== undefined) return true;
    return false;
  }

  #setState(record: SessionRecord, state: RoomMember['state']): void {
    for (const room of record.rooms) this.#rooms.update(room, record.peerId, { state });
  }

  #declareFailed(nodeId: string): void {
    const node = this.#nodes.get(nodeId);
    if (node === undefined || node.isAlive) return;
    this.#nodes.delete(nodeId);
    const expiresAt = this.now() + node.limits.graceMs;
    const detached: string[] = [];
    for (const [sessionId, stored] of this.#sessions) {
      if (stored.record.nodeId !== nodeId) continue;
      this.detach(sessionId, expiresAt);
      detached.push(sessionId);
    }
    const survivor = [...this.#nodes.values()].find((n) => n.isAlive);
    survivor?.listener.onNodeFailure(nodeId, detached);
  }
}
