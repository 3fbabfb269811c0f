/**
 * Perfect negotiation, in the W3C form ("Perfect Negotiation Example", https://w3c.github.io/webrtc-pc/#perfect-negotiation-example).
 *
 * The rule: each side of a pair has a role, and the two roles are opposite. When both sides send an offer
 * at once (glare), the POLITE peer gives way: it rolls back its own offer and answers the other one. The
 * IMPOLITE peer ignores the colliding offer and waits for the answer to its own. Roles come from the broker
 * (the peer with the greater id is polite), never from who called first, so they are fixed before any offer.
 *
 * Invariants:
 * - `makingOffer` is true from the start of offer creation until the offer has been set locally. It is used
 *   instead of `signalingState` because that state changes asynchronously: an offer arriving while ours is
 *   still being built is a collision.
 * - `isSettingRemoteAnswerPending` makes an in-flight SRD(answer) count as stable, so an offer arriving
 *   right behind our answer is not mistaken for a collision.
 * - `ignoreOffer` stays set until the next description arrives, so candidates that belonged to the ignored
 *   offer fail quietly instead of surfacing as errors.
 * - Remote candidates that arrive before any remote description are buffered and flushed after SRD.
 * - Trickle mode: local candidates are held from the start of each setLocalDescription until its
 *   description is sent. An offer goes as soon as its first burst of candidates is in: one candidate per
 *   transport that gathers (each m-section of a first offer, ADR 0017), at most one batch window
 *   (CandidateBatcher). It then carries them in its SDP, and the end of candidates too if gathering already
 *   finished. An answer goes at once: the offerer cannot start ICE before it has the answer, while the
 *   answerer's checks (it has the offer's candidates) reach it without the answerer's candidates. Whatever
 *   a description lacks follows in `ice` envelopes, never before it. An end of candidates with nothing to
 *   ride on waits one batch window and is dropped if ICE connected meanwhile: Chromium ends gathering when
 *   ICE connects, and a connected peer has no use for it (it only lets an agent give up on its pairs sooner).
 * - A link's first offer starts in a microtask after its first channel or track (`offerFirst`), not in
 *   `negotiationneeded`'s own task, unless a remote envelope came first (that link answers). Later
 *   negotiations wait for the event; it is ignored while an offer is being made (ADR 0017).
 * - Only the newest local description (`#localGeneration`) is sent: an offer overtaken while it waited for
 *   its candidates (a polite rollback, then an answer) is dropped, and the newer one releases the held ones.
 *   An answer is never overtaken: a new offer starts only after the answer before it has been sent
 *   (`#descriptionSent`), so the remote side never sees our offer before the answer it waits for.
 *
 * Two compatibility paths keep one code path for browsers and @roamhq/wrtc (shared/reference/lab.md): wrtc
 * rejects `setLocalDescription()` without arguments and has no implicit rollback, so after the first
 * TypeError we create the offer or answer explicitly, and a polite peer rolls back explicitly, in the same
 * tick as SRD, as the pre-2020 form of the W3C example did.
 */
import { SwitchboardError } from '@switchboard/protocol';
import { CandidateBatcher, type CandidateBatch } from './candidate-batcher.js';
import { FirstCandidateWatch } from './first-candidate-watch.js';
import { ownTransportMids } from './own-transport-mids.js';
import { fromCandidateTuple, type CandidateTuple, type PeerSignal } from './peer-signal.js';
import { waitForGatheringComplete } from './wait-for-gathering-complete.js';

/**
 * How long a polite side waits for its first candidate before a rollback (first-candidate-watch.ts). Host
 * candidates take milliseconds; a relay-only first candidate takes a TURN round trip.
 */
const ROLLBACK_GATHER_WAIT_MS = 2000;

/** What the negotiator needs from its link. */
export interface NegotiatorHost {
  readonly pc: RTCPeerConnection;
  /** This side's role toward the remote peer. */
  readonly isPolite: boolean;
  /** `'trickle'` sends the description at once; `'complete'` waits for ICE gathering to finish. */
  readonly iceMode: 'trickle' | 'complete';
  /** How long a `'complete'` description waits for gathering before it is sent with what it has. */
  readonly gatheringTimeoutMs: number;
  /** Trickle: local candidates found within this window travel in one envelope (CandidateBatcher). */
  readonly candidateBatchMs: number;
  /** Sends an envelope to the remote peer, in order. */
  send(signal: Exclude<PeerSignal, { k: 'call' }>): void;
  /** Reports a failure the app should see (never thrown into the event loop). */
  reportError(error: SwitchboardError): void;
}

type BufferedCandidate = CandidateTuple | 'end';

/** Runs the W3C perfect negotiation algorithm for one RTCPeerConnection. */
export class PerfectNegotiator {
  readonly #host: NegotiatorHost;
  #makingOffer = false;
  #ignoreOffer = false;
  #isSettingRemoteAnswerPending = false;
  #hasImplicitSetLocal: boolean | undefined;
  #buffered: BufferedCandidate[] = [];
  #incoming: Promise<void> = Promise.resolve();
  #offerInFlight: Promise<void> | undefined;
  #localGeneration = 0;
  #descriptionSent: Promise<void> = Promise.resolve();
  #isClosed = false;
  #hasFirstOfferStarted = false;
  #hasRemoteSignal = false;
  readonly #firstCandidate: FirstCandidateWatch;
  /** Trickle mode only; in complete mode the candidates travel inside the description instead. */
  readonly #batcher: CandidateBatcher | undefined;

  constructor(host: NegotiatorHost) {
    this.#host = host;
    this.#firstCandidate = new FirstCandidateWatch(host.pc);
    if (host.iceMode !== 'trickle') return;
    const batcher = new CandidateBatcher(host.candidateBatchMs, (batch) => this.#sendCandidates(batch));
    this.#batcher = batcher;
    host.pc.addEventListener('icecandidate', (event) => {
      if (this.#isClosed) return;
      // Chromium stops gathering once ICE connects, so the end usually comes when it no longer matters.
      if (event.candidate === null) batcher.end(() => !this.#isClosed && !isIceConnected(host.pc));
      else batcher.add(event.candidate.toJSON());
    });
  }

  /** Whether the last colliding remote offer was ignored (impolite side). */
  get isIgnoringOffer(): boolean {
    return this.#ignoreOffer;
  }

  /** Stops processing; pending work finishes silently. */
  close(): void {
    this.#isClosed = true;
    this.#buffered = [];
    this.#batcher?.dispose();
  }

  /**
   * The link opened its first channel or track: make the first offer after the current synchronous code
   * (a microtask, so tracks and channels added together share it) instead of `negotiationneeded`'s task.
   * Skipped once a remote envelope was handled: a link created by an incoming offer answers it.
   */
  offerFirst(): void {
    if (this.#hasFirstOfferStarted) return;
    this.#hasFirstOfferStarted = true;
    queueMicrotask(() => {
      const { pc } = this.#host;
      if (this.#hasRemoteSignal || pc.localDescription !== null || pc.remoteDescription !== null) return;
      void this.onNegotiationNeeded();
    });
  }

  /** Step 2 of the algorithm: `negotiationneeded`. */
  async onNegotiationNeeded(): Promise<void> {
    const { pc } = this.#host;
    this.#hasFirstOfferStarted = true;
    await this.#descriptionSent;
    if (this.#isClosed || this.#makingOffer || pc.signalingState !== 'stable') return;
    const generation = this.#holdCandidates();
    try {
      this.#makingOffer = true;
      this.#offerInFlight = this.#setLocalDescription();
      await this.#offerInFlight;
    } catch (error) {
      // In the explicit-offer path a remote offer can land between createOffer and SLD; SRD then moved the
      // state on and our offer is obsolete. negotiationneeded fires again once we are stable, so this is
      // not a failure.
      if (this.#hasMovedOn() || isInvalidState(error)) return;
      this.#releaseCandidates(generation);
      this.#host.reportError(
        new SwitchboardError('NEGOTIATION_FAILED', 'Could not create or set the local offer.', {
          cause: error,
        }),
      );
      return;
    } finally {
      this.#makingOffer = false;
      this.#offerInFlight = undefined;
    }
    this.#descriptionSent = this.#sendLocalDescription(generation);
    await this.#descriptionSent;
  }

  /** Whether the link closed or left the stable state since an offer attempt began. */
  #hasMovedOn(): boolean {
    return this.#isClosed || this.#host.pc.signalingState !== 'stable';
  }

  /** Handles one remote envelope (`sdp` or `ice`), in arrival order. */
  handle(signal: PeerSignal): Promise<void> {
    this.#hasRemoteSignal = true;
    const run = async (): Promise<void> => {
      if (this.#isClosed) return;
      if (signal.k === 'sdp') await this.#onDescription({ type: signal.t, sdp: signal.s }, signal.e === 1);
      else if (signal.k === 'ice') await this.#onCandidates(signal.c, signal.e === 1);
    };
    this.#incoming = this.#incoming.then(run, run);
    return this.#incoming;
  }

  /** Step 3: a remote description; `isEndOfCandidates` when it says gathering had finished on that side. */
  async #onDescription(description: RTCSessionDescriptionInit, isEndOfCandidates: boolean): Promise<void> {
    const { pc, isPolite } = this.#host;
    const readyForOffer =
      !this.#makingOffer && (pc.signalingState === 'stable' || this.#isSettingRemoteAnswerPending);
    const offerCollision = description.type === 'offer' && !readyForOffer;
    this.#ignoreOffer = !isPolite && offerCollision;
    if (this.#ignoreOffer) return;
    // Explicit-offer path (wrtc): our SLD(offer) may already be queued on the connection although the state
    // still reads stable. Let it land, then roll it back below, instead of failing SRD in the wrong state.
    if (offerCollision && this.#offerInFlight !== undefined) await this.#offerInFlight.catch(() => undefined);
    // A polite rollback before this connection ever gathered can leave Chromium unable to gather again
    // (first-candidate-watch.ts); waiting for the first candidate closes that window.
    if (offerCollision) await this.#firstCandidate.wait(ROLLBACK_GATHER_WAIT_MS);
    try {
      this.#isSettingRemoteAnswerPending = description.type === 'answer';
      if (
        description.type === 'offer' &&
        pc.signalingState === 'have-local-offer' &&
        this.#hasImplicitSetLocal === false
      ) {
        // wrtc only (no implicit rollback): explicit rollback in the same tick as SRD, so no addIceCandidate
        // can slip in between (W3C note). Browsers must take the implicit rollback in SRD below, the W3C form
        // the header describes: after the explicit form, Chromium 156 sometimes never gathered for the
        // polite side's answer, leaving the link stable with ICE `new` forever after a media glare
        // (media-glare.e2e.test.ts reproduced it in round 8 of 10; ADR 0008).
        await Promise.all([
          pc.setLocalDescription({ type: 'rollback' }),
          pc.setRemoteDescription(description),
        ]);
      } else {
        await pc.setRemoteDescription(description);
      }
      this.#isSettingRemoteAnswerPending = false;
      await this.#flushBuffered();
      if (isEndOfCandidates) await this.#addCandidate('end');
      if (description.type === 'offer') {
        const generation = this.#holdCandidates();
        await this.#setLocalDescription();
        // Not awaited: remote candidates queued behind this offer should not wait for our own gathering.
        this.#descriptionSent = this.#sendLocalDescription(generation);
      }
    } catch (error) {
      this.#isSettingRemoteAnswerPending = false;
      if (this.#isClosed) return;
      this.#releaseCandidates(this.#localGeneration);
      this.#host.reportError(
        new SwitchboardError('NEGOTIATION_FAILED', `Could not apply the remote ${description.type}.`, {
          cause: error,
        }),
      );
    }
  }

  /** Step 4: remote candidates; buffered while there is no remote description. */
  async #onCandidates(candidates: readonly CandidateTuple[], isEnd: boolean): Promise<void> {
    const items: BufferedCandidate[] = [...candidates];
    if (isEnd) items.push('end');
    if (this.#host.pc.remoteDescription === null) {
      this.#buffered.push(...items);
      return;
    }
    for (const item of items) await this.#addCandidate(item);
  }

  async #flushBuffered(): Promise<void> {
    const items = this.#buffered;
    this.#buffered = [];
    for (const item of items) await this.#addCandidate(item);
  }

  async #addCandidate(item: BufferedCandidate): Promise<void> {
    const { pc } = this.#host;
    try {
      await pc.addIceCandidate(item === 'end' ? { candidate: '' } : fromCandidateTuple(item));
    } catch (error) {
      if (this.#isClosed || this.#ignoreOffer || item === 'end') return;
      // A candidate of an older ICE generation (before a restart) no longer matches; it is stale, not broken.
      const ufrag = item[3];
      if (ufrag !== null && !(pc.remoteDescription?.sdp ?? '').includes(`a=ice-ufrag:${ufrag}`)) return;
      this.#host.reportError(
        new SwitchboardError('NEGOTIATION_FAILED', 'Could not add a remote ICE candidate.', { cause: error }),
      );
    }
  }

  /** `setLocalDescription()` without arguments where supported; otherwise the explicit equivalent. */
  async #setLocalDescription(): Promise<void> {
    const { pc } = this.#host;
    if (this.#hasImplicitSetLocal !== false) {
      try {
        await pc.setLocalDescription();
        this.#hasImplicitSetLocal = true;
        return;
      } catch (error) {
        if (this.#hasImplicitSetLocal === true || !isTypeError(error)) throw error;
        this.#hasImplicitSetLocal = false;
      }
    }
    const isAnswer = pc.signalingState === 'have-remote-offer' || pc.signalingState === 'have-local-pranswer';
    const description = isAnswer ? await pc.createAnswer() : await pc.createOffer();
    await pc.setLocalDescription(description);
  }

  /** A local description is about to be made: hold trickled candidates for it. Returns its generation. */
  #holdCandidates(): number {
    this.#batcher?.hold();
    this.#localGeneration += 1;
    return this.#localGeneration;
  }

  /** No description will carry the held candidates (making it failed): send them as a batch instead. */
  #releaseCandidates(generation: number): void {
    if (this.#batcher === undefined || generation !== this.#localGeneration) return;
    this.#sendCandidates(this.#batcher.release(''));
  }

  /**
   * Sends the description made in `generation`, unless a newer one overtook it. Trickle: an offer first
   * waits for its first burst of candidates (JSEP puts them in `localDescription`), except when gathering is
   * already complete (a renegotiation without ICE restart gathers nothing new); an answer goes at once.
   * Complete: waits for gathering.
   */
  async #sendLocalDescription(generation: number): Promise<void> {
    const { pc } = this.#host;
    if (this.#host.iceMode === 'complete') await waitForGatheringComplete(pc, this.#host.gatheringTimeoutMs);
    else if (pc.iceGatheringState !== 'complete' && pc.signalingState === 'have-local-offer') {
      // A first offer gathers on a transport per m-section; later ones on the bundle's transport only.
      const isFirstOffer = pc.remoteDescription === null;
      await this.#batcher?.whenHeldBurst(
        isFirstOffer ? ownTransportMids(pc.localDescription?.sdp ?? '') : undefined,
      );
    }
    if (this.#isClosed || generation !== this.#localGeneration) return;
    const local = pc.localDescription;
    if (local === null || (local.type !== 'offer' && local.type !== 'answer')) return;
    // Between a polite rollback (SRD of the remote offer) and our answer, the old description still reads
    // here; the answer's own send follows.
    if ((local.type === 'offer') !== (pc.signalingState === 'have-local-offer')) return;
    const rest = this.#batcher?.release(local.sdp);
    const foldsEnd = rest !== undefined && rest.isEndOfCandidates && rest.candidates.length === 0;
    this.#host.send(
      foldsEnd
        ? { sb: 1, k: 'sdp', t: local.type, s: local.sdp, e: 1 }
        : { sb: 1, k: 'sdp', t: local.type, s: local.sdp },
    );
    if (rest !== undefined && !foldsEnd) this.#sendCandidates(rest);
  }

  #sendCandidates({ candidates, isEndOfCandidates }: CandidateBatch): void {
    if (this.#isClosed || (candidates.length === 0 && !isEndOfCandidates)) return;
    this.#host.send(
      isEndOfCandidates ? { sb: 1, k: 'ice', c: candidates, e: 1 } : { sb: 1, k: 'ice', c: candidates },
    );
  }
}

function isIceConnected(pc: RTCPeerConnection): boolean {
  return pc.iceConnectionState === 'connected' || pc.iceConnectionState === 'completed';
}

function isTypeError(error: unknown): boolean {
  return error instanceof TypeError || (error instanceof Error && error.name === 'TypeError');
}

function isInvalidState(error: unknown): boolean {
  return error instanceof Error && (error.name === 'InvalidStateError' || /wrong state/i.test(error.message));
}
