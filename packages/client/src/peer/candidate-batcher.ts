/**
 * Batches trickled ICE candidates so that the candidates one gathering burst produces travel in one broker
 * frame. An ICE agent emits its host, srflx and relay candidates a few milliseconds apart; sending each in
 * its own signal would cost several frames per side, and the bench holds a 1:1 data connection to at most
 * eight broker frames. The end of candidates (a `null` candidate) flushes at once, carried in the same batch.
 */
import { toCandidateTuple, type CandidateTuple } from './peer-signal.js';

/** What a flush delivers: the candidates, and whether gathering finished. */
export interface CandidateBatch {
  readonly candidates: readonly CandidateTuple[];
  readonly isEndOfCandidates: boolean;
}

/** Collects candidates for `windowMs` after the first one, then hands them to `flush` together. */
export class CandidateBatcher {
  readonly #windowMs: number;
  readonly #flush: (batch: CandidateBatch) => void;
  #pending: CandidateTuple[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;

  /**
   * @param windowMs how long to wait after the first candidate of a batch before sending it.
   * @param flush called with each batch, in order.
   */
  constructor(windowMs: number, flush: (batch: CandidateBatch) => void) {
    this.#windowMs = windowMs;
    this.#flush = flush;
  }

  /** Adds one local candidate, or `null` for the end of candidates (which flushes immediately). */
  add(candidate: RTCIceCandidateInit | null): void {
    if (candidate === null) {
      this.#send(true);
      return;
    }
    // Some stacks emit an empty-string candidate as an end marker per m-line before the final null.
    if (candidate.candidate === undefined || candidate.candidate === '') return;
    this.#pending.push(toCandidateTuple(candidate));
    this.#timer ??= setTimeout(() => this.#send(false), this.#windowMs);
  }

  /** Drops anything pending without sending it (the link is closing). */
  dispose(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#pending = [];
  }

  #send(isEndOfCandidates: boolean): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    const candidates = this.#pending;
    this.#pending = [];
    if (candidates.length === 0 && !isEndOfCandidates) return;
    this.#flush({ candidates, isEndOfCandidates });
  }
}
