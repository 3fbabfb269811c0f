/**
 * The per-session outbox: every sequenced server frame, stamped with its seq, kept until the client
 * acknowledges it. It is what makes delivery survive a dropped socket (PROTOCOL.md §Delivery).
 *
 * Invariants:
 * - Seqs start at 1 and increase by exactly 1 per appended frame, with no gaps, for the life of the session.
 * - Frames are removed only by `ack(seq)`, which drops every frame with seq <= `seq` (acks are cumulative).
 * - At most `maxFrames` unacknowledged frames are held; `append` refuses more rather than growing.
 */
import type { SequencedServerMessage, UnsequencedServerMessage } from '@switchboard/protocol';

export class Outbox {
  readonly #maxFrames: number;
  /**
   * Frames in seq order; `#frames[#head]` is the oldest unacknowledged one. Slots before `#head` are cleared
   * on ack, so an acknowledged frame is garbage at once instead of surviving until the next compaction
   * (frames kept alive across young-generation GCs get promoted, which was most of the relay's GC time).
   */
  #frames: (SequencedServerMessage | undefined)[] = [];
  #head = 0;
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
    return this.#frames.length - this.#head;
  }

  /** Stamp the next seq on `frame` and keep it. Returns `undefined`, keeping nothing, when the outbox is full. */
  append(frame: UnsequencedServerMessage): SequencedServerMessage | undefined {
    if (this.depth >= this.#maxFrames) return undefined;
    this.#lastSeq += 1;
    // A relayed signal, the bulk of frames, is copied field by field: cheaper than V8's generic spread.
    const stamped =
      frame.type === 'signal'
        ? ({ type: 'signal', seq: this.#lastSeq, from: frame.from, data: frame.data } as const)
        : { ...frame, seq: this.#lastSeq };
    this.#frames.push(stamped);
    return stamped;
  }

  /** Drop every frame with seq <= `seq`. Acks beyond `lastSeq` are clamped; stale acks do nothing. */
  ack(seq: number): void {
    const oldest = this.#frames[this.#head];
    if (oldest === undefined || seq < oldest.seq) return;
    const head = this.#head + Math.min(this.depth, seq - oldest.seq + 1);
    for (let i = this.#head; i < head; i++) this.#frames[i] = undefined;
    this.#head = head;
    // Compact once the dead prefix dominates, so acking is O(1) amortised and memory stays bounded.
    if (this.#head > 64 && this.#head * 2 > this.#frames.length) {
      this.#frames = this.#frames.slice(this.#head);
      this.#head = 0;
    }
  }

  /** The frames with seq > `afterSeq`, oldest first. */
  after(afterSeq: number): SequencedServerMessage[] {
    const oldest = this.#frames[this.#head];
    if (oldest === undefined) return [];
    const start = this.#head + Math.max(0, afterSeq - oldest.seq + 1);
    return this.#frames.slice(start) as SequencedServerMessage[]; // slots from #head on are all set
  }
}
