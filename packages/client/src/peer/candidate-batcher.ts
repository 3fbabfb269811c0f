/**
 * Batches trickled ICE candidates so that the candidates one gathering burst produces travel in one broker
 * frame. An ICE agent emits its host, srflx and relay candidates a few milliseconds apart; sending each in
 * its own signal would cost several frames per side, and the bench holds a 1:1 data connection to at most
 * eight broker frames. The end of candidates (a `null` candidate) flushes at once, carried in the same batch.
 *
 * While a description is being made and sent (`hold()` … `release()`), candidates are held instead: the
 * agent gathers its host candidates within a millisecond or two of setLocalDescription, and the description
 * read after that already lists them in its SDP (JSEP: `localDescription` includes the candidates gathered so
 * far). Sending the description with them saves a frame each way and, more importantly, the batch window: a
 * first candidate that waited 10 ms for its batch was the largest delay of a loopback call setup.
 *
 * A first offer gathers on one transport per m-section until the answer accepts BUNDLE (Chromium's default
 * `balanced` policy: audio, video and data each start their own), and the agent emits their first
 * candidates a fraction of a millisecond apart, in separate tasks. The holder can name the m-sections
 * (`sdpMid`) it expects, so that the offer waits for one candidate of each instead of leaving the others
 * to a batch of their own (one frame each way more for an audio+video setup).
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
  #isHeld = false;
  #hasHeldEnd = false;
  #onHeld: (() => void) | undefined;
  #awaitedMids: ReadonlySet<string> | undefined;
  #loneEndTimer: ReturnType<typeof setTimeout> | undefined;

  /**
   * @param windowMs how long to wait after the first candidate of a batch before sending it.
   * @param flush called with each batch, in order.
   */
  constructor(windowMs: number, flush: (batch: CandidateBatch) => void) {
    this.#windowMs = windowMs;
    this.#flush = flush;
  }

  /** Adds one local candidate (the end of candidates goes to `end`). */
  add(candidate: RTCIceCandidateInit): void {
    // Some stacks emit an empty-string candidate as an end marker per m-line before the final null.
    if (candidate.candidate === undefined || candidate.candidate === '') return;
    this.#cancelLoneEnd();
    this.#pending.push(toCandidateTuple(candidate));
    if (!this.#isHeld) this.#timer ??= setTimeout(() => this.#send(false), this.#windowMs);
    else if (this.#hasHeldBurst()) this.#wakeHolder(true);
  }

  /**
   * The end of candidates. It flushes what waits at once, carried in the same batch, or rides on the
   * description being held. Alone, it waits one window and is then sent only if `isNeeded()` still says
   * so: the remote agent uses it to give up on its pairs sooner, which a connected link does not need, and
   * Chromium ends gathering when ICE connects (ADR 0017). A new candidate or description cancels it.
   */
  end(isNeeded: () => boolean): void {
    if (this.#isHeld) {
      this.#hasHeldEnd = true;
      this.#wakeHolder(false);
    } else if (this.#pending.length > 0) {
      this.#send(true);
    } else if (isNeeded() && this.#loneEndTimer === undefined) {
      this.#loneEndTimer = setTimeout(() => {
        this.#loneEndTimer = undefined;
        if (isNeeded()) this.#flush({ candidates: [], isEndOfCandidates: true });
      }, this.#windowMs);
    }
  }

  /** Keeps candidates back from now on: a local description is being made, and they may travel inside it. */
  hold(): void {
    this.#cancelLoneEnd();
    this.#isHeld = true;
  }

  /**
   * Resolves once the held burst is in: a held candidate for each of `mids` (or the first held candidate,
   * without `mids`) and whatever comes in the same turn of the event loop (an agent emits a burst back to
   * back), or the end of candidates. Gives up after `windowMs`, so a description never waits longer for
   * candidates than a candidate waits for its batch.
   *
   * @param mids the m-sections (`sdpMid`) that gather on a transport of their own.
   */
  whenHeldBurst(mids?: ReadonlySet<string>): Promise<void> {
    if (!this.#isHeld || this.#hasHeldEnd) return Promise.resolve();
    this.#awaitedMids = mids;
    if (this.#hasHeldBurst()) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, this.#windowMs);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.#onHeld = done;
    });
  }

  /**
   * Stops holding. Returns what the description (`sdp`) does not carry and must follow it: held candidates
   * missing from its SDP, and whether gathering ended meanwhile. The caller sends the description first.
   */
  release(sdp: string): CandidateBatch {
    this.#isHeld = false;
    this.#onHeld = undefined;
    this.#awaitedMids = undefined;
    const isEndOfCandidates = this.#hasHeldEnd;
    this.#hasHeldEnd = false;
    const carried = new Set(
      sdp
        .split(/\r?\n/)
        .filter((line) => line.startsWith('a=candidate:'))
        .map((line) => candidateKey(line.slice(2))),
    );
    const candidates = this.#pending.filter(([candidate]) => !carried.has(candidateKey(candidate)));
    this.#pending = [];
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    return { candidates, isEndOfCandidates };
  }

  /** Drops anything pending without sending it (the link is closing). */
  dispose(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#pending = [];
    this.#isHeld = false;
    this.#hasHeldEnd = false;
    this.#awaitedMids = undefined;
    this.#cancelLoneEnd();
    this.#onHeld?.();
    this.#onHeld = undefined;
  }

  #cancelLoneEnd(): void {
    clearTimeout(this.#loneEndTimer);
    this.#loneEndTimer = undefined;
  }

  /**
   * Whether the held candidates cover every awaited m-section (any candidate, when none are named). A
   * candidate without `sdpMid` cannot be placed, so it ends the wait as before.
   */
  #hasHeldBurst(): boolean {
    const mids = this.#awaitedMids;
    if (mids === undefined || mids.size === 0) return this.#pending.length > 0;
    const covered = new Set<string>();
    for (const [, mid] of this.#pending) {
      if (mid === null) return true;
      covered.add(mid);
    }
    for (const mid of mids) if (!covered.has(mid)) return false;
    return true;
  }

  /** A held candidate or end arrived: let the holder go, after the rest of a candidate burst. */
  #wakeHolder(isCandidate: boolean): void {
    const wake = this.#onHeld;
    if (wake === undefined) return;
    this.#onHeld = undefined;
    if (isCandidate) setTimeout(wake, 0);
    else wake();
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

/**
 * Identifies a candidate by foundation, component, transport, priority, address, port and type (RFC 8839
 * §5.1): the same candidate reads differently in an icecandidate event and in the SDP, where Chromium leaves
 * out the `ufrag` extension.
 */
function candidateKey(candidate: string): string {
  return candidate.split(' ', 8).join(' ');
}
