/**
 * Inbound sequencing: which server frames to process, and what to acknowledge.
 *
 * Invariants:
 * - `lastSeq` is the highest seq processed in this session; frames are processed in seq order, each once.
 * - A frame with seq <= `lastSeq` is a replay of something already processed (the server replays everything
 *   after the client's last acknowledgement, and acks travel late), so it is dropped.
 * - A frame with seq > `lastSeq + 1` means frames went missing. That cannot happen on a healthy session, so the
 *   caller reconnects and resumes from `lastSeq`, which makes the server replay the hole.
 * - `ackedSeq <= lastSeq`: the client never acknowledges a frame it has not processed, because the server
 *   deletes acknowledged frames from the outbox for good.
 */

/** What to do with an inbound sequenced frame. */
export type InboundVerdict = 'process' | 'duplicate' | 'gap';

/** Tracks processed and acknowledged server seqs for one session. */
export class InboundSequencer {
  #lastSeq = 0;
  #ackedSeq = 0;

  /** Highest seq processed; sent as `lastSeq` in `resume`. */
  get lastSeq(): number {
    return this.#lastSeq;
  }

  /** Highest seq the client has acknowledged to the server. */
  get ackedSeq(): number {
    return this.#ackedSeq;
  }

  /** Classify a frame's seq; when the verdict is `process`, the frame counts as processed from now on. */
  accept(seq: number): InboundVerdict {
    if (seq <= this.#lastSeq) return 'duplicate';
    if (seq > this.#lastSeq + 1) return 'gap';
    this.#lastSeq = seq;
    return 'process';
  }

  /** The seq to acknowledge now, or `undefined` when everything processed has been acknowledged already. */
  takeAck(): number | undefined {
    if (this.#ackedSeq >= this.#lastSeq) return undefined;
    this.#ackedSeq = this.#lastSeq;
    return this.#ackedSeq;
  }

  /**
   * A new session began (fresh welcome): its seqs start over. `seq` is the welcome's `seq`, the last seq
   * the server had assigned when it welcomed us (0 on a brand-new session).
   */
  reset(seq = 0): void {
    this.#lastSeq = seq;
    this.#ackedSeq = seq;
  }

  /**
   * A resume succeeded: the server dropped every frame up to the `lastSeq` we sent, so it counts as
   * acknowledged.
   */
  confirmResumed(): void {
    this.#ackedSeq = this.#lastSeq;
  }
}
