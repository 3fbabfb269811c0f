/**
 * The embedded default ClusterBus: the whole "cluster" lives in this process.
 *
 * Several `InMemoryClusterBus` instances may share one `InMemoryClusterHub` (in-memory-cluster-hub.ts);
 * each is then one node of a cluster inside one process, so the in-memory and Redis buses are held to the
 * same promises by the same contract suite.
 *
 * Every method completes its change synchronously before it returns its (already settled) promise, so the
 * single-node relay path costs no I/O and no timers: `deliver()` appends and wakes the target node inline.
 */
import { randomUUID } from 'node:crypto';
import type { SequencedServerMessage, UnsequencedServerMessage } from '@switchboard/protocol';
import type {
  ClusterBus,
  ClusterBusLimits,
  ClusterBusListener,
  DeliverOrigin,
  InlineClusterOps,
  DeliverPrecondition,
  DeliverResult,
  JoinRoomOptions,
  JoinRoomResult,
  MemberPatch,
  RoomMember,
  SessionRecord,
  UpdateMemberResult,
} from './cluster-bus.js';
import { InMemoryClusterHub } from './in-memory-cluster-hub.js';

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

  /** Every hot-path operation completes in this process, so the server may call it without a promise. */
  readonly inline: InlineClusterOps = {
    deliver: (peerId, frame, _origin, precondition) => this.hub.deliver(peerId, frame, precondition),
    ackOutbox: (sessionId, seq) => this.hub.ackOutbox(sessionId, seq),
    persistClientId: (sessionId, lastClientId) => this.hub.persistClientId(sessionId, lastClientId),
    hold: (sessionId, sink) => this.hub.hold(sessionId, this.nodeId, sink),
    release: (sessionId, sink) => this.hub.release(sessionId, sink),
    createSession: (record) => this.#createSession(record),
  };

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
    this.#createSession(record);
    return Promise.resolve();
  }

  #createSession(record: SessionRecord): void {
    // A record already attached here and live (the handshake's) is stored as it is: no copy per connect.
    const own =
      record.nodeId === this.nodeId && record.expiresAt === undefined
        ? record
        : { ...record, nodeId: this.nodeId, expiresAt: undefined };
    this.hub.create(own, this.hub.limitsOf(this.nodeId).maxOutbox);
  }

  getSession(sessionId: string): Promise<SessionRecord | undefined> {
    const stored = this.hub.live(sessionId);
    return Promise.resolve(stored === undefined ? undefined : this.hub.recordOf(stored));
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

  joinRoom(room: string, member: RoomMember, options?: JoinRoomOptions): Promise<JoinRoomResult> {
    const { maxPeersPerRoom } = this.hub.limitsOf(this.nodeId);
    return Promise.resolve(this.hub.rooms.join(room, member, maxPeersPerRoom, options));
  }

  leaveRoom(room: string, peerId: string): Promise<RoomMember | undefined> {
    return Promise.resolve(this.hub.rooms.leave(room, peerId));
  }

  updateMember(room: string, peerId: string, patch: MemberPatch): Promise<UpdateMemberResult> {
    return Promise.resolve(this.hub.rooms.update(room, peerId, patch));
  }

  roomMembers(room: string): Promise<readonly RoomMember[]> {
    return Promise.resolve(this.hub.rooms.members(room));
  }
}
