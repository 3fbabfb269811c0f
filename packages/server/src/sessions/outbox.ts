/**
 * The per-session outbox: every sequenced server frame, stamped with its seq, kept until the client
 * acknowledges it. It is what makes delivery survive a dropped socket (PROTOCOL.md §Delivery).
 *
 * Invariants:
 * - Seqs start at 1 and increase by exactly 1 per appended frame, with no gaps, for the life of the session.
 * - Frames are removed only by `ack(seq)`, which drops every frame with seq <= `seq` (acks are cumulative).
 * - At most `maxFrames` unacknowledged frames are held; `append` refuses more rather than growing.
 */
import type {
  RelayedSignalMessage,
  SequencedServerMessage,
  UnsequencedServerMessage,
} from '@switchboard/protocol';

/** The ring's first size: a relayed signal is acknowledged within a hop, so few frames wait at once. */
const FIRST_CAPACITY = 4;
/** An empty ring larger than this is given up, so a burst does not pin its memory for the session's life. */
const KEPT_CAPACITY = 64;
/**
 * The ring of every outbox that has held nothing yet, shared: idle sessions are many, and an empty array has
 * no store. It is never written, because `append` grows a full ring (this one is always full) first.
 */
const NO_SLOTS: (SequencedServerMessage | undefined)[] = [];

export class Outbox {
  readonly #maxFrames: number;
  /**
   * A ring of the unacknowledged frames, oldest at `#head`; its length is a power of two (or 0: `NO_SLOTS`). Every slot that
   * holds no waiting frame is `undefined`, and a ring that is replaced (grown or shrunk) is cleared first.
   *
   * Why a ring: the array this replaced was appended to and compacted with `slice`, so its backing store was
   * reallocated three or four times per 65 frames. Each store lived long enough to be promoted (about 14
   * bytes per signal at 100 pairs, and a mark-compact every few seconds to free them), and a store given up
   * still pointed at the frames waiting at that moment. A ring that only grows in a burst allocates nothing
   * per frame in the steady state (BENCHMARKS.md, "Promotion pass").
   */
  #slots = NO_SLOTS;
  #head = 0;
  #depth = 0;
  #lastSeq = 0;

  /** @param maxFrames the most unacknowledged frames this outbox holds */
  constructor(maxFrames: number) {
    this.#maxFrames = maxFrames;
  }

  /** The seq of the newest frame ever appended (0 when none). */
  get lastSeq(): number {
    return this.#lastSeq;
  }

  /** Frames appended and not yet acknowledged. */
  get depth(): number {
    return this.#depth;
  }

  /** Stamp the next seq on `frame` and keep it. Returns `undefined`, keeping nothing, when the outbox is full. */
  append(frame: UnsequencedServerMessage): SequencedServerMessage | undefined {
    if (this.#depth >= this.#maxFrames) return undefined;
    if (this.#depth === this.#slots.length) this.#resize(Math.max(FIRST_CAPACITY, this.#slots.length * 2));
    this.#lastSeq += 1;
    // A relayed signal, the bulk of frames, is copied field by field (cheaper than V8's generic spread),
    // into a class instance rather than an object literal: see `StampedSignal`.
    const stamped =
      frame.type === 'signal'
        ? new StampedSignal(this.#lastSeq, frame.from, frame.data)
        : { ...frame, seq: this.#lastSeq };
    this.#slots[(this.#head + this.#depth) & (this.#slots.length - 1)] = stamped;
    this.#depth += 1;
    return stamped;
  }

  /** Drop every frame with seq <= `seq`. Acks beyond `lastSeq` are clamped; stale acks do nothing. */
  ack(seq: number): void {
    const count = Math.min(this.#depth, seq - this.#oldestSeq() + 1);
    if (count <= 0) return;
    const mask = this.#slots.length - 1;
    for (let i = 0; i < count; i++) this.#slots[(this.#head + i) & mask] = undefined;
    this.#head = (this.#head + count) & mask;
    this.#depth -= count;
    if (this.#depth === 0 && this.#slots.length > KEPT_CAPACITY) this.#resize(FIRST_CAPACITY);
  }

  /** The frames with seq > `afterSeq`, oldest first. */
  after(afterSeq: number): SequencedServerMessage[] {
    const frames: SequencedServerMessage[] = [];
    const mask = this.#slots.length - 1;
    for (let i = Math.max(0, afterSeq - this.#oldestSeq() + 1); i < this.#depth; i++)
      frames.push(this.#slots[(this.#head + i) & mask] as SequencedServerMessage); // waiting: set
    return frames;
  }

  /** Seqs are consecutive, so the oldest waiting frame's seq follows from the newest and the depth. */
  #oldestSeq(): number {
    return this.#lastSeq - this.#depth + 1;
  }

  /** Move the waiting frames, oldest first, into a new ring of `capacity` slots; clear the old one. */
  #resize(capacity: number): void {
    const old = this.#slots;
    const mask = old.length - 1;
    const slots = newRing(capacity);
    for (let i = 0; i < this.#depth; i++) slots[i] = old[(this.#head + i) & mask];
    old.fill(undefined);
    this.#slots = slots;
    this.#head = 0;
  }
}

/**
 * A relayed signal with its seq: the same own fields, in the same order, as the object literal it replaces.
 *
 * Why a class: V8 tracks an object literal's allocation site and, once most objects from a site outlive a
 * young-generation GC, allocates that site's objects straight in the old generation ("pretenuring"). At
 * 1,000 closed-loop pairs a waiting frame lives about one hop (30-90 ms), as long as the GC's interval, so
 * the literal here was pretenured. Each pretenured frame, dead once acknowledged, still pointed at its young
 * `data` and the sender's whole frame text (`data` slices it), and the young-generation GC takes such a
 * pointer as a root until the next full GC: they were promoted too, about 600 of the 900 bytes promoted
 * per signal, all garbage, with mark-compacts to clear it (BENCHMARKS.md, "Promotion pass"). Objects made
 * by `new` have no allocation site, so they are never pretenured.
 */
class StampedSignal implements RelayedSignalMessage {
  readonly type = 'signal';
  readonly seq: number;
  readonly from: string;
  readonly data: unknown;

  constructor(seq: number, from: string, data: unknown) {
    this.seq = seq;
    this.from = from;
    this.data = data;
  }
}

/** `capacity` slots of `undefined`, packed (no holes), so V8 keeps the ring's elements in their fast form. */
function newRing(capacity: number): (SequencedServerMessage | undefined)[] {
  const slots: (SequencedServerMessage | undefined)[] = [];
  for (let i = 0; i < capacity; i++) slots.push(undefined);
  return slots;
}
