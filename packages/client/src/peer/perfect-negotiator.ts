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
 *
 * Two compatibility paths keep one code path for browsers and @roamhq/wrtc (shared/reference/lab.md): wrtc
 * rejects `setLocalDescription()` without arguments and has no implicit rollback, so after the first
 * TypeError we create the offer or answer explicitly, and a polite peer rolls back explicitly, in the same
 * tick as SRD, as the pre-2020 form of the W3C example did.
 */
import { SwitchboardError } from '@switchboard/protocol';
import { fromCandidateTuple, type CandidateTuple, type PeerSignal } from './peer-signal.js';

/** What the negotiator needs from its link. */
export interface NegotiatorHost {
  readonly pc: RTCPeerConnection;
  /** This side's role toward the remote peer. */
  readonly isPolite: boolean;
  /** `'trickle'` sends the description at once; `'complete'` waits for ICE gathering to finish. */
  readonly iceMode: 'trickle' | 'complete';
  /** How long a `'complete'` description waits for gathering before it is sent with what it has. */
  readonly gatheringTimeoutMs: number;
  /** Sends an envelope to the remote peer, in order. */
  send(signal: PeerSignal): void;
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
  #isClosed = false;

  constructor(host: NegotiatorHost) {
    this.#host = host;
  }

  /** Whether the last colliding remote offer was ignored (impolite side). */
  get isIgnoringOffer(): boolean {
    return this.#ignoreOffer;
  }

  /** Stops processing; pending work finishes silently. */
  close(): void {
    this.#isClosed = true;
    this.#buffered = [];
  }

  /** Step 2 of the algorithm: `negotiationneeded`. */
  async onNegotiationNeeded(): Promise<void> {
    const { pc } = this.#host;
    if (this.#isClosed || pc.signalingState !== 'stable') return;
    try {
      this.#makingOffer = true;
      this.#offerInFlight = this.#setLocalDescription();
      await this.#offerInFlight;
    } catch (error) {
      // In the explicit-offer path a remote offer can land between createOffer and SLD; SRD then moved the
      // state on and our offer is obsolete. negotiationneeded fires again once we are stable, so this is
      // not a failure.
      if (this.#hasMovedOn() || isInvalidState(error)) return;
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
    await this.#sendLocalDescription();
  }

  /** Whether the link closed or left the stable state since an offer attempt began. */
  #hasMovedOn(): boolean {
    return this.#isClosed || this.#host.pc.signalingState !== 'stable';
  }

  /** Handles one remote envelope (`sdp` or `ice`), in arrival order. */
  handle(signal: PeerSignal): Promise<void> {
    const run = async (): Promise<void> => {
      if (this.#isClosed) return;
      if (signal.k === 'sdp') await this.#onDescription({ type: signal.t, sdp: signal.s });
      else if (signal.k === 'ice') await this.#onCandidates(signal.c, signal.e === 1);
    };
    this.#incoming = this.#incoming.then(run, run);
    return this.#incoming;
  }

  /** Step 3: a remote description. */
  async #onDescription(description: RTCSessionDescriptionInit): Promise<void> {
    const { pc, isPolite } = this.#host;
    const readyForOffer =
      !this.#makingOffer && (pc.signalingState === 'stable' || this.#isSettingRemoteAnswerPending);
    const offerCollision = description.type === 'offer' && !readyForOffer;
    this.#ignoreOffer = !isPolite && offerCollision;
    if (this.#ignoreOffer) return;
    // Explicit-offer path (wrtc): our SLD(offer) may already be queued on the connection although the state
    // still reads stable. Let it land, then roll it back below, instead of failing SRD in the wrong state.
    if (offerCollision && this.#offerInFlight !== undefined) await this.#offerInFlight.catch(() => undefined);
    try {
      this.#isSettingRemoteAnswerPending = description.type === 'answer';
      if (
        description.type === 'offer' &&
        pc.signalingState === 'have-local-offer' &&
        this.#hasImplicitSetLocal === false
      ) {
        // wrtc only (no implicit rollback): explicit rollback in the same tick as SRD, so no addIceCandidate
        // can slip in between (W3C note). Browsers take the implicit rollback in SRD below, the W3C form the
        // header describes. In Chromium 156 under load, the explicit form once left the polite side's new
        // ICE gathering stuck with no candidates after a media glare (media.e2e.test.ts).
        await Promise.all([
          pc.setLocalDescription({ type: 'rollback' }),
          pc.setRemoteDescription(description),
        ]);
      } else {
        await pc.setRemoteDescription(description);
      }
      this.#isSettingRemoteAnswerPending = false;
      await this.#flushBuffered();
      if (description.type === 'offer') {
        await this.#setLocalDescription();
        await this.#sendLocalDescription();
      }
    } catch (error) {
      this.#isSettingRemoteAnswerPending = false;
      if (this.#isClosed) return;
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

  async #sendLocalDescription(): Promise<void> {
    const { pc } = this.#host;
    if (this.#host.iceMode === 'complete') await waitForGatheringComplete(pc, this.#host.gatheringTimeoutMs);
    const local = pc.localDescription;
    if (this.#isClosed || local === null || (local.type !== 'offer' && local.type !== 'answer')) return;
    this.#host.send({ sb: 1, k: 'sdp', t: local.type, s: local.sdp });
  }
}

/** Resolves when ICE gathering is complete, or after `timeoutMs` (non-trickle sends what it has then). */
export function waitForGatheringComplete(pc: RTCPeerConnection, timeoutMs: number): Promise<void> {
  if (pc.iceGatheringState === 'complete') return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      pc.removeEventListener('icegatheringstatechange', onChange);
      pc.removeEventListener('icecandidate', onCandidate);
      resolve();
    };
    const onChange = (): void => {
      if (pc.iceGatheringState === 'complete') done();
    };
    // wrtc does not always fire icegatheringstatechange; the null candidate is the other end marker.
    const onCandidate = (event: RTCPeerConnectionIceEvent): void => {
      if (event.candidate === null) done();
    };
    const timer = setTimeout(done, timeoutMs);
    pc.addEventListener('icegatheringstatechange', onChange);
    pc.addEventListener('icecandidate', onCandidate);
  });
}

function isTypeError(error: unknown): boolean {
  return error instanceof TypeError || (error instanceof Error && error.name === 'TypeError');
}

function isInvalidState(error: unknown): boolean {
  return error instanceof Error && (error.name === 'InvalidStateError' || /wrong state/i.test(error.message));
}
