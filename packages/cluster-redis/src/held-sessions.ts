/**
 * What this node knows about the sessions whose sockets it holds, and the in-order wake-up of each.
 *
 * Frames reach a node by two paths: its own `deliver()` calls (no round trip) and PUBLISHes from other
 * nodes. The two can interleave out of seq order, and a PUBLISH is lost outright while the subscriber
 * connection is down (socket.io's Redis adapter loses messages exactly there, platforms.md §4.1).
 *
 * Invariants:
 * - `onDeliver` gets each session's frames in seq order, each seq once, with no gaps: a frame that
 *   arrives ahead of a gap waits while the gap is read back from the outbox in Redis, which holds every
 *   frame before it is published.
 * - `unacked` mirrors the frames emitted and not yet acknowledged, so that if Redis loses its data (a
 *   restart without persistence) this node can write its sessions back without losing a frame.
 * - The server never holds a frame of a held session above `emitted`: frames it reads from the outbox
 *   itself pass through `accept` too. That is what lets an outage sequence frames here, from `emitted + 1`.
 * - While `localBase` is set (frames were sequenced here during a Redis outage, not yet written back),
 *   frames numbered by Redis are ignored: Redis renumbers the ones this node has not seen to follow the
 *   local frames at write-back (write-back-scripts.ts), and they are read back then.
 */
import type { SequencedServerMessage, UnsequencedServerMessage } from '@switchboard/protocol';
import type { SessionRecord } from '@switchboard/server';
import type { BusLogger } from './redis-cluster-bus-options.js';

/** One outbox frame: its seq, its stored JSON text, and the decoded frame. */
export interface OutboxEntry {
  readonly seq: number;
  readonly json: string;
  readonly frame: SequencedServerMessage;
}

/** This peer's membership of one room, as stored, for writing back after a Redis data loss. */
export interface HeldMembership {
  readonly nicknameKey: string;
  readonly value: string;
  /** The room's own cap (`room-cap:<room>`), restored with the room; `undefined` when it has none. */
  readonly roomCap: number | undefined;
}

/** A session whose socket this node holds. */
export interface HeldSession {
  readonly sessionId: string;
  record: SessionRecord;
  readonly rooms: Map<string, HeldMembership>;
  /** The highest seq passed to `onDeliver` (or covered by the replay at attach). */
  emitted: number;
  /** Emitted frames not yet acknowledged, oldest first, contiguous up to `emitted`. */
  unacked: OutboxEntry[];
  /** Frames that arrived ahead of a gap, by seq. */
  readonly early: Map<number, OutboxEntry>;
  isFilling: boolean;
  /** During an outage: the seq after which frames were sequenced here; `undefined` when none wait. */
  localBase: number | undefined;
  /** The socket closed during an outage: detach with this expiry once Redis is back. */
  pendingExpiresAt: number | undefined;
}

/** Parse a stored frame. Its JSON always starts with `{"seq":N,`. */
export function entryOf(json: string): OutboxEntry {
  const frame = JSON.parse(json) as SequencedServerMessage;
  return { seq: frame.seq, json, frame };
}

/** The sessions held by this node, with their delivery sequencing. */
export class HeldSessions {
  readonly #sessions = new Map<string, HeldSession>();
  readonly #byPeer = new Map<string, HeldSession>();
  readonly #emit: (sessionId: string, frames: readonly SequencedServerMessage[]) => void;
  readonly #read: (sessionId: string, afterSeq: number) => Promise<readonly OutboxEntry[]>;
  readonly #logger: BusLogger;

  /**
   * @param emit wakes the server (the listener's `onDeliver`)
   * @param read reads a session's outbox after a seq, from Redis
   */
  constructor(
    emit: (sessionId: string, frames: readonly SequencedServerMessage[]) => void,
    read: (sessionId: string, afterSeq: number) => Promise<readonly OutboxEntry[]>,
    logger: BusLogger,
  ) {
    this.#emit = emit;
    this.#read = read;
    this.#logger = logger;
  }

  /** Start holding a session whose frames up to `emitted` are already accounted for. */
  hold(record: SessionRecord, emitted: number, rooms: Map<string, HeldMembership> = new Map()): void {
    this.release(record.sessionId);
    const held: HeldSession = {
      sessionId: record.sessionId,
      record,
      rooms,
      emitted,
      unacked: [],
      early: new Map(),
      isFilling: false,
      localBase: undefined,
      pendingExpiresAt: undefined,
    };
    this.#sessions.set(record.sessionId, held);
    this.#byPeer.set(record.peerId, held);
  }

  /** Stop holding a session (detached, taken over, deleted). */
  release(sessionId: string): void {
    const held = this.#sessions.get(sessionId);
    if (held === undefined) return;
    this.#sessions.delete(sessionId);
    if (this.#byPeer.get(held.record.peerId) === held) this.#byPeer.delete(held.record.peerId);
  }

  get(sessionId: string): HeldSession | undefined {
    return this.#sessions.get(sessionId);
  }

  /** The held session of a peer. */
  byPeer(peerId: string): HeldSession | undefined {
    return this.#byPeer.get(peerId);
  }

  /**
   * Sequence a frame here, with no Redis (an outage), and emit it. Only this node can write to a session
   * it holds while nobody reaches Redis, so `emitted + 1` is the next seq; frames Redis numbered that this
   * node never saw are renumbered after these at write-back. Returns the seq.
   */
  assignLocal(held: HeldSession, frame: UnsequencedServerMessage): number {
    if (held.localBase === undefined) {
      held.localBase = held.emitted;
      // These wait on a gap that only Redis can fill; they come back, renumbered, after the write-back.
      held.early.clear();
    }
    const seq = held.emitted + 1;
    const json = `{"seq":${seq},${JSON.stringify(frame).slice(1)}`;
    const entry: OutboxEntry = { seq, json, frame: { ...frame, seq } };
    held.emitted = seq;
    held.unacked.push(entry);
    this.#emit(held.sessionId, [entry.frame]);
    return seq;
  }

  /**
   * Frames up to `writtenTop` are now in Redis. If more were sequenced here meanwhile (the connection
   * dropped again), they form a new local window after `writtenTop`.
   */
  settleLocal(held: HeldSession, writtenTop: number): void {
    if (held.localBase === undefined) return;
    held.localBase = held.emitted > writtenTop ? writtenTop : undefined;
    held.early.clear();
  }

  /** The mirrored frames of a held session after `afterSeq` (its outbox as this node knows it). */
  localEntries(held: HeldSession, afterSeq: number): OutboxEntry[] {
    return held.unacked.filter((entry) => entry.seq > afterSeq);
  }

  /** Every held session. */
  all(): HeldSession[] {
    return [...this.#sessions.values()];
  }

  /** Frames for a held session arrived (any path, any order, possibly repeated). */
  accept(sessionId: string, entries: readonly OutboxEntry[]): void {
    const held = this.#sessions.get(sessionId);
    if (held === undefined || held.localBase !== undefined) return;
    for (const entry of entries) if (entry.seq > held.emitted) held.early.set(entry.seq, entry);
    this.#drain(held);
  }

  /** The client acknowledged up to `seq`: drop the mirror copies. */
  ack(sessionId: string, seq: number): void {
    const held = this.#sessions.get(sessionId);
    if (held === undefined) return;
    const keep = held.unacked.findIndex((entry) => entry.seq > seq);
    held.unacked = keep === -1 ? [] : held.unacked.slice(keep);
  }

  /** Read every held session's outbox back: after a reconnect, PUBLISHes sent meanwhile are lost. */
  refillAll(): void {
    for (const held of this.#sessions.values()) void this.#fill(held);
  }

  /** Read one held session's outbox back (after an attach, whose PUBLISHes may have raced the hold). */
  refill(sessionId: string): void {
    const held = this.#sessions.get(sessionId);
    if (held !== undefined) void this.#fill(held);
  }

  /** Forget frames above `emitted` that wait on a gap: Redis was rewritten from this node's copy, so those seqs will be reissued. */
  forgetEarly(sessionId: string): void {
    this.#sessions.get(sessionId)?.early.clear();
  }

  #drain(held: HeldSession): void {
    const frames: SequencedServerMessage[] = [];
    for (
      let next = held.early.get(held.emitted + 1);
      next !== undefined;
      next = held.early.get(held.emitted + 1)
    ) {
      held.early.delete(next.seq);
      held.emitted = next.seq;
      held.unacked.push(next);
      frames.push(next.frame);
    }
    if (frames.length > 0) this.#emit(held.sessionId, frames);
    if (held.early.size > 0) void this.#fill(held);
  }

  #isStillFillable(held: HeldSession): boolean {
    return this.#sessions.get(held.sessionId) === held && held.localBase === undefined;
  }

  async #fill(held: HeldSession): Promise<void> {
    if (held.isFilling || held.localBase !== undefined) return;
    held.isFilling = true;
    try {
      // A second read is issued after every waiting frame arrived, so it must see their predecessors; only
      // if that one lacks them too are they really gone (acknowledged through a replay, or lost with Redis's
      // data), and delivery skips ahead rather than stall for good.
      for (let attempt = 0; attempt < 2; attempt += 1) {
        const entries = await this.#read(held.sessionId, held.emitted);
        // The session was released, or an outage began during the read: these seqs are no longer ours.
        if (!this.#isStillFillable(held)) return;
        for (const entry of entries) if (entry.seq > held.emitted) held.early.set(entry.seq, entry);
        if (held.early.size === 0 || held.early.has(held.emitted + 1)) break;
        if (attempt === 1) {
          const first = Math.min(...held.early.keys());
          this.#logger.warn(
            { sessionId: held.sessionId, from: held.emitted + 1, to: first - 1 },
            'outbox gap skipped',
          );
          held.emitted = first - 1;
        }
      }
    } catch (error) {
      // Redis is away; the reconnect calls refillAll, so nothing waits on this attempt.
      this.#logger.debug({ err: error, sessionId: held.sessionId }, 'outbox read-back failed');
      return;
    } finally {
      held.isFilling = false;
    }
    this.#drain(held);
  }
}
