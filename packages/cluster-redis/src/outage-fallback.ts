/**
 * What the bus does while it cannot reach Redis: keep serving the sessions this node holds.
 *
 * Redis is the only place two nodes meet, so while this node cannot reach it, no other node can write to
 * the sessions held here either (a node that can still reach Redis only appends, and the write-back
 * renumbers its frames after these). This node is then the only writer of its sessions: it sequences their
 * frames itself from the last seq it knows, keeps them in the held session's mirror of the outbox, and
 * wakes the socket at once. Two peers on one node keep talking through a Redis outage; the frames reach
 * Redis, at the seqs the client saw, before the node is ready again (write-back-scripts.ts).
 *
 * Anything about a session this node does not hold cannot be known now. Rather than wait out the outage
 * (the hang this module exists to avoid) or answer PEER_NOT_FOUND (a peer on another node does exist),
 * delivery fails at once with CLUSTER_UNAVAILABLE, and the other operations throw it.
 */
import { SwitchboardError, type UnsequencedServerMessage } from '@switchboard/protocol';
import type { DeliverOrigin, DeliverPrecondition, DeliverResult, SessionRecord } from '@switchboard/server';
import type { HeldSession, HeldSessions, OutboxEntry } from './held-sessions.js';

/** The error of an operation about a session this node does not hold, during an outage. */
export function clusterUnavailable(what: string): SwitchboardError {
  return new SwitchboardError(
    'CLUSTER_UNAVAILABLE',
    `Redis is unreachable and ${what} is not held on this node; retry once the node is ready again.`,
  );
}

/** The `ClusterBus` operations that can go on without Redis, over the sessions this node holds. */
export class OutageFallback {
  readonly #held: HeldSessions;
  readonly #nodeId: string;

  constructor(held: HeldSessions, nodeId: string) {
    this.#held = held;
    this.#nodeId = nodeId;
  }

  /**
   * Sequence a frame for a held peer here; a peer held elsewhere cannot be reached now. The shared-room
   * precondition is checked against the memberships mirrored in the held session, which cannot change
   * during the outage (room changes need Redis).
   */
  deliver(
    peerId: string,
    frame: UnsequencedServerMessage,
    origin: DeliverOrigin | undefined,
    precondition: DeliverPrecondition | undefined,
    maxOutbox: number,
  ): DeliverResult {
    const target = this.#held.byPeer(peerId);
    if (target === undefined) return { ok: false, code: 'CLUSTER_UNAVAILABLE' };
    const rooms = precondition?.requireSharedRoomWith;
    if (rooms !== undefined && !rooms.some((room) => target.rooms.has(room)))
      return { ok: false, code: 'SIGNAL_FORBIDDEN' };
    if (target.unacked.length >= maxOutbox) return { ok: false, code: 'OUTBOX_FULL' };
    // The DELIVER script raises the origin's lastClientId with the append; here the write-back carries it.
    const sender = origin === undefined ? undefined : this.#held.get(origin.sessionId);
    if (sender !== undefined && origin !== undefined && origin.requestId > sender.record.lastClientId)
      sender.record = { ...sender.record, lastClientId: origin.requestId };
    return { ok: true, seq: this.#held.assignLocal(target, frame) };
  }

  sessionOfPeer(peerId: string): string {
    const held = this.#held.byPeer(peerId);
    if (held === undefined) throw clusterUnavailable(`peer ${peerId}`);
    return held.sessionId;
  }

  getSession(sessionId: string): SessionRecord {
    return this.#require(sessionId).record;
  }

  /** The client came back to this node before Redis did: the pending detach is off. */
  attachSession(sessionId: string): SessionRecord {
    const held = this.#require(sessionId);
    const before = held.record;
    held.pendingExpiresAt = undefined;
    held.record = { ...before, nodeId: this.#nodeId, expiresAt: undefined };
    return before;
  }

  /**
   * The socket closed. The session stays held, so its frames still reach Redis at write-back, and the
   * detach (grace window, members `reconnecting`) is applied then.
   */
  detachSession(sessionId: string, expiresAt: number): void {
    const held = this.#require(sessionId);
    held.pendingExpiresAt = expiresAt;
    held.record = { ...held.record, nodeId: undefined, expiresAt };
  }

  updateSession(sessionId: string, patch: Partial<Pick<SessionRecord, 'rooms' | 'lastClientId'>>): void {
    const held = this.#require(sessionId);
    held.record = { ...held.record, ...patch };
  }

  readOutbox(sessionId: string, afterSeq: number): OutboxEntry[] {
    return this.#held.localEntries(this.#require(sessionId), afterSeq);
  }

  /** Drop mirrored frames; Redis's `ack` catches up at write-back. */
  ackOutbox(sessionId: string, seq: number): void {
    this.#require(sessionId);
    this.#held.ack(sessionId, seq);
  }

  #require(sessionId: string): HeldSession {
    const held = this.#held.get(sessionId);
    if (held === undefined) throw clusterUnavailable(`session ${sessionId}`);
    return held;
  }
}
