/**
 * ClusterBus: everything that must be shared between server nodes, behind one small interface.
 *
 * The embedded default (`InMemoryClusterBus`) keeps it all in this process; `RedisClusterBus`
 * (packages/cluster-redis) keeps it in Redis so that any node can route to, and resume, any session.
 * Both pass the same contract suite (packages/testing, `clusterBusContract`).
 *
 * Invariants every implementation keeps:
 * - Delivery is durable before it is acknowledged: `deliver()` resolves only once the frame is in the target
 *   session's outbox with its seq, where any node can replay it. Then the node holding the target's socket
 *   (if any) is woken with `onDeliver` to push it. A crashed node therefore loses nothing that was acked.
 * - Seqs per session start at 1 and increase by exactly 1, with no gaps, in outbox order.
 * - Room operations are atomic per room: nickname uniqueness (by `nicknameKey`) and room capacity hold
 *   across the whole cluster.
 * - Presence diffs (`peer-joined`/`peer-updated`/`peer-left`) are delivered by the server through
 *   `deliver()`, like signals, so they are sequenced and replayed too. The bus only answers "who is in the room".
 * - A node that stops heartbeating is declared failed within `nodeFailureTimeoutMs`; its sessions are then
 *   detached, so their grace windows start, and `onNodeFailure` fires on the surviving nodes.
 */
import type {
  LeftReason,
  PeerInfo,
  PeerMetadata,
  PeerState,
  SequencedServerMessage,
  UnsequencedServerMessage,
} from '@switchboard/protocol';

/** The durable part of a session: what another node needs to resume it. */
export interface SessionRecord {
  readonly sessionId: string;
  readonly peerId: string;
  /** SHA-256 (hex) of the resume secret; the secret itself is never stored. */
  readonly resumeSecretHash: string;
  /** The authenticated identity (JWT `sub`), or `undefined` when anonymous. */
  readonly identity: string | undefined;
  /** Rooms this session is in. */
  readonly rooms: readonly string[];
  /** Highest client request id processed (for client->server dedupe after resume). */
  readonly lastClientId: number;
  /** Node currently holding the socket, or `undefined` while detached. */
  readonly nodeId: string | undefined;
  /** Epoch ms after which a detached session expires (peer leaves with reason `timeout`). */
  readonly expiresAt: number | undefined;
  /**
   * Set when the bus detached this session because its node failed (not because its socket closed): if it
   * expires without a resume, the peer leaves with reason `node-failure` instead of `timeout`. Cleared by a
   * resume. Optional, so buses that cannot tell the two apart stay valid.
   */
  readonly failedNodeId?: string;
}

/** A room member as stored by the bus. */
export interface RoomMember {
  readonly peerId: string;
  readonly sessionId: string;
  readonly metadata: PeerMetadata;
  /** `nicknameKey(metadata.nickname)`, the uniqueness key. */
  readonly nicknameKey: string;
  readonly state: PeerState;
}

/**
 * The client request that caused a delivered frame. A bus that can outlive a node records `requestId` as
 * the origin session's `lastClientId` in the same atomic step as the append: if the origin's node dies
 * before it acknowledges the request, the client's resend after resuming elsewhere is then recognised as
 * done, instead of being delivered twice. Such a bus also makes `deliver()` with an origin idempotent by
 * `requestId`, so it may run one again whose reply a dropped connection lost (ADR 0009).
 */
export interface DeliverOrigin {
  readonly sessionId: string;
  readonly requestId: number;
}

/**
 * A condition `deliver()` checks in the same atomic step as the append, so the relay decides "may this
 * signal go?" and "append it" in one bus round trip instead of three (find the session, read it, deliver).
 */
export interface DeliverPrecondition {
  /**
   * The target peer must be a member of at least one of these rooms, as `joinRoom`/`leaveRoom` left the
   * room (a `reconnecting` member counts). Otherwise nothing is appended, no node is woken, the origin is not
   * recorded, and the result is `SIGNAL_FORBIDDEN`. An empty list never matches. The relay passes the
   * sender's own rooms: that is the default, same-room, signal policy.
   */
  readonly requireSharedRoomWith?: readonly string[];
}

/**
 * How a delivery ended. `CLUSTER_UNAVAILABLE`: the bus cannot reach its shared store and the target is not
 * held on this node, so it can be neither found nor reached now (a distributed bus during an outage; it
 * fails at once rather than wait, and is no claim that the peer does not exist). `SIGNAL_FORBIDDEN`: a
 * `DeliverPrecondition` did not hold (only a bus with `hasDeliverPreconditions` returns it).
 */
export type DeliverResult =
  | { readonly ok: true; readonly seq: number }
  | {
      readonly ok: false;
      readonly code: 'PEER_NOT_FOUND' | 'OUTBOX_FULL' | 'CLUSTER_UNAVAILABLE' | 'SIGNAL_FORBIDDEN';
    };

/**
 * How full a joiner lets a room get (ADR 0006). Both caps are checked in the same atomic step as the join,
 * so racing joiners on any nodes can never exceed them.
 */
export interface JoinRoomOptions {
  /**
   * The cap the joiner asks for (the join's `maxPeers`). A join that creates the room fixes it as the room's
   * cap, kept while the room has members; later joiners cannot change it. It also bounds this join.
   */
  readonly maxPeers?: number;
  /** A cap on this join only, never stored (a token grant's `maxPeersPerRoom`). */
  readonly joinerMaxPeers?: number;
}

/**
 * `maxPeers` on success: the room's own cap as it stands after the join, `min(room cap, limits.maxPeersPerRoom)`
 * (the server limit when the room has no cap of its own). A joiner is refused with ROOM_FULL when the room
 * already holds `min(room cap, options.maxPeers, options.joinerMaxPeers, limits.maxPeersPerRoom)` members;
 * a peer that is already a member is never refused for capacity.
 */
export type JoinRoomResult =
  | { readonly ok: true; readonly members: readonly RoomMember[]; readonly maxPeers: number }
  | { readonly ok: false; readonly code: 'NICKNAME_TAKEN' | 'ROOM_FULL' };

/** A change to one room member: any field left out keeps its value. */
export interface MemberPatch {
  readonly metadata?: PeerMetadata;
  readonly nicknameKey?: string;
  readonly state?: PeerState;
}

export type UpdateMemberResult =
  | { readonly ok: true; readonly member: RoomMember }
  | { readonly ok: false; readonly code: 'NICKNAME_TAKEN' | 'NOT_IN_ROOM' };

/**
 * The operations of the relay's hot path, done synchronously, for a bus whose state lives in this process.
 * They mean exactly what their `ClusterBus` namesakes mean; they only skip the promise, so that a signal, an
 * ack and a `lastClientId` update cost no microtask and no allocation beyond the frame itself.
 */
export interface InlineClusterOps {
  /** `ClusterBus.deliver`, completed before it returns. */
  deliver(
    peerId: string,
    frame: UnsequencedServerMessage,
    origin?: DeliverOrigin,
    precondition?: DeliverPrecondition,
  ): DeliverResult;
  /** `ClusterBus.ackOutbox`, completed before it returns. */
  ackOutbox(sessionId: string, seq: number): void;
  /** `ClusterBus.updateSession` for `lastClientId`, completed before it returns. */
  persistClientId(sessionId: string, lastClientId: number): void;
  /**
   * This node holds `sessionId` as `sink` (the server's own object for it): until `release`, a frame
   * appended to the session while it is attached to this node goes to `sink.deliverOne` instead of
   * `ClusterBusListener.onDeliver`, so the server finds the session without a lookup by id. Returns the
   * session's own ack and `lastClientId` operations, or `undefined` when the session is unknown.
   */
  hold(sessionId: string, sink: DeliverySink): InlineSessionOps | undefined;
  /** This node no longer holds `sessionId` as `sink`. A `hold` of another sink since then is kept. */
  release(sessionId: string, sink: DeliverySink): void;
  /** `ClusterBus.createSession`, completed before it returns: a connect without a promise hop. */
  createSession(record: SessionRecord): void;
}

/**
 * `InlineClusterOps.ackOutbox` and `persistClientId` bound to one session: with 2,000 sessions, each lookup
 * by id in the relay's hot path was a cache miss or two (BENCHMARKS.md, "Relay pass").
 */
export interface InlineSessionOps {
  /** `ClusterBus.ackOutbox` of this session, completed before it returns. */
  ackOutbox(seq: number): void;
  /** `ClusterBus.updateSession` of this session's `lastClientId`, completed before it returns. */
  persistClientId(lastClientId: number): void;
}

/** Where an in-process bus wakes a session that this node holds (see `InlineClusterOps.hold`). */
export interface DeliverySink {
  /** `ClusterBusListener.onDeliver` for this session and one frame. */
  deliverOne(frame: SequencedServerMessage): void;
}

/** Callbacks from the bus into the server node that owns it. */
export interface ClusterBusListener {
  /**
   * Frames were appended to the outbox of a session whose socket this node holds. The node pushes
   * them, in seq order. May be called with frames the node already pushed (at-least-once wake-up); the node
   * drops seqs it has already sent.
   */
  onDeliver(sessionId: string, frames: readonly SequencedServerMessage[]): void;
  /** Another node took over a session this node holds (a resume elsewhere): close the local socket. */
  onSessionTaken(sessionId: string): void;
  /**
   * A node was declared failed; its sessions are detached (members marked `reconnecting`) and their grace
   * windows are running. Called on exactly one surviving node per failure, which announces the change, so
   * room members are not told twice.
   */
  onNodeFailure(nodeId: string, sessionIds: readonly string[]): void;
  /** Readiness changed (e.g. Redis went away or came back). */
  onReadyChange?(ready: boolean): void;
}

/** Options common to every bus. */
export interface ClusterBusLimits {
  /** Maximum unacknowledged frames per session outbox. */
  readonly maxOutbox: number;
  /** Maximum members per room. */
  readonly maxPeersPerRoom: number;
  /** Grace window given to the sessions of a failed node when the bus detaches them itself, in ms. */
  readonly graceMs: number;
}

/**
 * The seam between one server node and the rest of the cluster.
 * Implementations: `InMemoryClusterBus` (default), `RedisClusterBus`.
 */
export interface ClusterBus {
  /** This node's id, unique in the cluster. */
  readonly nodeId: string;
  /** Whether the bus can serve cluster operations now (feeds `/readyz`). */
  readonly isReady: boolean;
  /**
   * Whether `deliver()` honours its `precondition` argument (see `DeliverPrecondition`). Optional, so buses
   * written before it stay valid: a bus without it is never given a precondition, and the relay checks the
   * signal policy itself from `sessionOfPeer` and `getSession` before delivering.
   */
  readonly hasDeliverPreconditions?: boolean;
  /**
   * Synchronous forms of the hot-path operations, when the bus can do them without I/O (the in-memory bus).
   * Optional: a bus without them (Redis) is used through its promises only.
   */
  readonly inline?: InlineClusterOps;

  /** Connect, subscribe and start heartbeating. Must be called once before anything else. */
  start(listener: ClusterBusListener, limits: ClusterBusLimits): Promise<void>;
  /** Stop heartbeating and release connections. Sessions held by this node stay resumable elsewhere. */
  close(): Promise<void>;

  // ---- sessions ----
  /** Store a new session, attached to this node. */
  createSession(record: SessionRecord): Promise<void>;
  /** Read a session, or `undefined` when unknown or expired. */
  getSession(sessionId: string): Promise<SessionRecord | undefined>;
  /**
   * Attach a session to this node (on resume), taking it over from any other node, which is told via
   * `onSessionTaken`, and mark its room members `online` again. Returns the record as it was before the
   * attach, or `undefined` when the session is unknown or expired.
   */
  attachSession(sessionId: string): Promise<SessionRecord | undefined>;
  /** The socket dropped: keep the session until `expiresAt`, and mark its members `reconnecting`. */
  detachSession(sessionId: string, expiresAt: number): Promise<void>;
  /** Persist changes to a session's rooms or lastClientId. */
  updateSession(
    sessionId: string,
    patch: Partial<Pick<SessionRecord, 'rooms' | 'lastClientId'>>,
  ): Promise<void>;
  /** Remove a session and its outbox for good. */
  deleteSession(sessionId: string): Promise<void>;
  /**
   * Detached sessions whose `expiresAt` has passed; the caller makes them leave with reason `timeout` and
   * then deletes them. Each expired session is returned by at most one call in the whole cluster (the call
   * claims it), so its departure is announced once.
   */
  expiredSessions(now: number): Promise<readonly SessionRecord[]>;

  // ---- delivery ----
  /** Find the session that owns `peerId`, if it exists. */
  sessionOfPeer(peerId: string): Promise<string | undefined>;
  /**
   * Append a frame to the outbox of the session owning `peerId`, stamping its seq, then wake the node that
   * holds its socket. In one atomic step, checked in this order: no such (live) peer -> PEER_NOT_FOUND;
   * a `precondition` that does not hold -> SIGNAL_FORBIDDEN; outbox at `maxOutbox` -> OUTBOX_FULL; else
   * append (and record `origin`). A failure appends nothing and wakes nobody. `precondition` is passed only
   * when `hasDeliverPreconditions` is true.
   */
  deliver(
    peerId: string,
    frame: UnsequencedServerMessage,
    origin?: DeliverOrigin,
    precondition?: DeliverPrecondition,
  ): Promise<DeliverResult>;
  /** Outbox frames with seq > `afterSeq`, in order (for replay on resume). */
  readOutbox(sessionId: string, afterSeq: number): Promise<readonly SequencedServerMessage[]>;
  /** Drop outbox frames with seq <= `seq` (the client acknowledged them). */
  ackOutbox(sessionId: string, seq: number): Promise<void>;

  // ---- rooms and presence ----
  /**
   * Add a member, atomically checking nickname uniqueness, then capacity (see `JoinRoomOptions`). Returns the
   * members before the join and the room's cap.
   */
  joinRoom(room: string, member: RoomMember, options?: JoinRoomOptions): Promise<JoinRoomResult>;
  /** Remove a member. Returns the member removed, or `undefined` when it was not there. */
  leaveRoom(room: string, peerId: string): Promise<RoomMember | undefined>;
  /** Change a member's metadata and/or state, re-checking nickname uniqueness. */
  updateMember(room: string, peerId: string, patch: MemberPatch): Promise<UpdateMemberResult>;
  /** The current members of a room. */
  roomMembers(room: string): Promise<readonly RoomMember[]>;
}

/** Re-exported for implementers. */
export type { LeftReason, PeerInfo };
