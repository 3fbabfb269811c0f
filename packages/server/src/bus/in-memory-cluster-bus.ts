/**
 * The embedded default ClusterBus: the whole "cluster" lives in this process.
 *
 * Several `InMemoryClusterBus` instances may share one `InMemoryClusterHub`; each is then one node of a
 * cluster inside one process. That is how the contract suite exercises takeover, cross-node delivery and
 * node failure without Redis, so the in-memory and Redis buses are held to the same promises.
 *
 * Every method completes its change synchronously before it returns its (already settled) promise, so the
 * single-node relay path costs no I/O and no timers: `deliver()` appends and wakes the target node inline.
 */
import { randomUUID } from 'node:crypto';
import type { SequencedServerMessage, UnsequencedServerMessage } from '@switchboard/protocol';
import { Outbox } from '../sessions/outbox.js';
import { RoomRegistry } from '../rooms/room-registry.js';
import type {
  ClusterBus,
  ClusterBusLimits,
  ClusterBusListener,
  DeliverOrigin,
  DeliverPrecondition,
  DeliverResult,
  JoinRoomResult,
  RoomMember,
  SessionRecord,
  UpdateMemberResult,
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

interface StoredSession {
  record: SessionRecord;
  readonly outbox: Outbox;
  /** Claimed by an expiry sweep: gone for everyone but the sweeper, which deletes it. */
  isClaimed: boolean;
}

interface NodeEntry {
  readonly listener: ClusterBusListener;
  readonly limits: ClusterBusLimits;
  isAlive: boolean;
}

/** Shared state of in-process nodes. A bus made without one gets its own hub (a single-node cluster). */
export class InMemoryClusterHub {
  readonly #sessions = new Map<string, StoredSession>();
  readonly #sessionByPeer = new Map<string, string>();
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
    this.#nodes.set(nodeId, { listener, limits, isAlive: true });
  }

  /** @internal A clean stop: this node's sessions are detached with their grace window, quietly. */
  removeNode(nodeId: string): void {
    const node = this.#nodes.get(nodeId);
    if (node === undefined) return;
    this.#nodes.delete(nodeId);
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
    this.#sessions.set(record.sessionId, { record, outbox: new Outbox(maxOutbox), isClaimed: false });
    this.#sessionByPeer.set(record.peerId, record.sessionId);
  }

  /** @internal A live (not expired) session. */
  live(sessionId: string): StoredSession | undefined {
    const stored = this.#sessions.get(sessionId);
    if (stored === undefined || stored.isClaimed) return undefined;
    const { expiresAt, nodeId } = stored.record;
    return nodeId === undefined && expiresAt !== undefined && expiresAt <= this.now() ? undefined : stored;
  }

  /** @internal */
  attach(sessionId: string, nodeId: string): SessionRecord | undefined {
    const stored = this.live(sessionId);
    if (stored === undefined) return undefined;
    const before = stored.record;
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
    stored.record = { ...stored.record, nodeId: undefined, expiresAt };
    this.#setState(stored.record, 'reconnecting');
  }

  /** @internal */
  update(sessionId: string, patch: Partial<Pick<SessionRecord, 'rooms' | 'lastClientId'>>): void {
    const stored = this.#sessions.get(sessionId);
    if (stored !== undefined) stored.record = { ...stored.record, ...patch };
  }

  /** @internal */
  delete(sessionId: string): void {
    const stored = this.#sessions.get(sessionId);
    if (stored === undefined) return;
    this.#sessions.delete(sessionId);
    if (this.#sessionByPeer.get(stored.record.peerId) === sessionId)
      this.#sessionByPeer.delete(stored.record.peerId);
  }

  /** @internal Claims expired sessions: they are returned once, and a later call no longer sees them. */
  claimExpired(now: number): SessionRecord[] {
    const expired: SessionRecord[] = [];
    for (const stored of this.#sessions.values()) {
      const { nodeId, expiresAt } = stored.record;
      if (!stored.isClaimed && nodeId === undefined && expiresAt !== undefined && expiresAt <= now) {
        expired.push(stored.record);
        stored.isClaimed = true;
      }
    }
    return expired;
  }

  /** @internal */
  sessionOfPeer(peerId: string): string | undefined {
    const sessionId = this.#sessionByPeer.get(peerId);
    return sessionId !== undefined && this.live(sessionId) !== undefined ? sessionId : undefined;
  }

  /** @internal */
  deliver(
    peerId: string,
    frame: UnsequencedServerMessage,
    precondition: DeliverPrecondition | undefined,
  ): DeliverResult {
    const sessionId = this.#sessionByPeer.get(peerId);
    const stored = sessionId === undefined ? undefined : this.live(sessionId);
    if (sessionId === undefined || stored === undefined) return PEER_NOT_FOUND;
    const rooms = precondition?.requireSharedRoomWith;
    if (rooms !== undefined && !this.#isMemberOfAny(peerId, rooms)) return SIGNAL_FORBIDDEN;
    const stamped = stored.outbox.append(frame);
    if (stamped === undefined) return OUTBOX_FULL;
    const nodeId = stored.record.nodeId;
    const node = nodeId === undefined ? undefined : this.#nodes.get(nodeId);
    if (node?.isAlive === true) node.listener.onDeliver(sessionId, [stamped]);
    return { ok: true, seq: stamped.seq };
  }

  /** @internal */
  readOutbox(sessionId: string, afterSeq: number): SequencedServerMessage[] {
    return this.#sessions.get(sessionId)?.outbox.after(afterSeq) ?? [];
  }

  /** @internal */
  ackOutbox(sessionId: string, seq: number): void {
    this.#sessions.get(sessionId)?.outbox.ack(seq);
  }

  /** @internal */
  get rooms(): RoomRegistry {
    return this.#rooms;
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

/** Options of `InMemoryClusterBus`. */
export interface InMemoryClusterBusOptions {
  /** This node's id. @default a random UUID */
  readonly nodeId?: string;
  /** The shared state to join; several buses on one hub form a cluster. @default a new hub of its own */
  readonly hub?: InMemoryClusterHub;
}

/**
 * The default ClusterBus: all state in this process.
 *
 * @example
 * const server = createServer({ bus: new InMemoryClusterBus() }); // what createServer does by default
 */
export class InMemoryClusterBus implements ClusterBus {
  /** This node's id. */
  readonly nodeId: string;
  /** The shared state this node is part of. */
  readonly hub: InMemoryClusterHub;
  #isStarted = false;

  constructor(options: InMemoryClusterBusOptions = {}) {
    this.nodeId = options.nodeId ?? randomUUID();
    this.hub = options.hub ?? new InMemoryClusterHub();
  }

  /** `deliver()` checks `requireSharedRoomWith` against the hub's rooms, in the same synchronous step. */
  readonly hasDeliverPreconditions = true;

  /** Always ready once started: there is nothing outside the process to lose. */
  get isReady(): boolean {
    return this.#isStarted;
  }

  start(listener: ClusterBusListener, limits: ClusterBusLimits): Promise<void> {
    this.hub.addNode(this.nodeId, listener, limits);
    this.#isStarted = true;
    return Promise.resolve();
  }

  close(): Promise<void> {
    if (this.#isStarted) this.hub.removeNode(this.nodeId);
    this.#isStarted = false;
    return Promise.resolve();
  }

  createSession(record: SessionRecord): Promise<void> {
    this.hub.create(
      { ...record, nodeId: this.nodeId, expiresAt: undefined },
      this.hub.limitsOf(this.nodeId).maxOutbox,
    );
    return Promise.resolve();
  }

  getSession(sessionId: string): Promise<SessionRecord | undefined> {
    return Promise.resolve(this.hub.live(sessionId)?.record);
  }

  attachSession(sessionId: string): Promise<SessionRecord | undefined> {
    return Promise.resolve(this.hub.attach(sessionId, this.nodeId));
  }

  detachSession(sessionId: string, expiresAt: number): Promise<void> {
    this.hub.detach(sessionId, expiresAt);
    return Promise.resolve();
  }

  updateSession(
    sessionId: string,
    patch: Partial<Pick<SessionRecord, 'rooms' | 'lastClientId'>>,
  ): Promise<void> {
    this.hub.update(sessionId, patch);
    return Promise.resolve();
  }

  deleteSession(sessionId: string): Promise<void> {
    this.hub.delete(sessionId);
    return Promise.resolve();
  }

  expiredSessions(now: number): Promise<readonly SessionRecord[]> {
    return Promise.resolve(this.hub.claimExpired(now));
  }

  sessionOfPeer(peerId: string): Promise<string | undefined> {
    return Promise.resolve(this.hub.sessionOfPeer(peerId));
  }

  deliver(
    peerId: string,
    frame: UnsequencedServerMessage,
    _origin?: DeliverOrigin,
    precondition?: DeliverPrecondition,
  ): Promise<DeliverResult> {
    // No origin to record: an in-process bus dies with its node, and with it every session it could dedupe.
    return Promise.resolve(this.hub.deliver(peerId, frame, precondition));
  }

  readOutbox(sessionId: string, afterSeq: number): Promise<readonly SequencedServerMessage[]> {
    return Promise.resolve(this.hub.readOutbox(sessionId, afterSeq));
  }

  ackOutbox(sessionId: string, seq: number): Promise<void> {
    this.hub.ackOutbox(sessionId, seq);
    return Promise.resolve();
  }

  joinRoom(room: string, member: RoomMember): Promise<JoinRoomResult> {
    return Promise.resolve(this.hub.rooms.join(room, member, this.hub.limitsOf(this.nodeId).maxPeersPerRoom));
  }

  leaveRoom(room: string, peerId: string): Promise<RoomMember | undefined> {
    return Promise.resolve(this.hub.rooms.leave(room, peerId));
  }

  updateMember(
    room: string,
    peerId: string,
    patch: {
      readonly metadata?: RoomMember['metadata'];
      readonly nicknameKey?: string;
      readonly state?: RoomMember['state'];
    },
  ): Promise<UpdateMemberResult> {
    return Promise.resolve(this.hub.rooms.update(room, peerId, patch));
  }

  roomMembers(room: string): Promise<readonly RoomMember[]> {
    return Promise.resolve(this.hub.rooms.members(room));
  }
}
