/**
 * The client's inbound side for the frames that change session state: sequenced frames (in order, exactly
 * once, then acknowledged) and the settling of requests the server reported processed in a resumed welcome.
 *
 * Invariants:
 * - A sequenced frame is applied only if its seq is the next one; a duplicate is acknowledged again and
 *   dropped; a gap drops the socket so that the resume replays the hole.
 * - A request the server reports processed (`lastClientId` of a resumed welcome) is settled only once the
 *   replay has caught up with the welcome's `seq`, because its error, if any, is in that replay.
 * - After `resumed: false` nothing is silently lost: rooms are rejoined with their last metadata (the joins
 *   go first, renumbered), and signals whose delivery is unknown fail with `SESSION_LOST`.
 */
import { SwitchboardError, type WelcomeMessage } from '@switchboard/protocol';
import type { InboundSequencer } from './inbound-sequencer.js';
import type { OutboundRequests } from './outbound-requests.js';
import type { PresenceCache } from './presence-cache.js';
import type { RequestBody } from './request-tracker.js';
import type { SequencedFrame, SequencedFrameHandler } from './sequenced-frame-handler.js';
import { advertiseFeatures } from './sdk-features.js';

/** What the inbound side works on. */
export interface InboundFramesParts {
  readonly inbound: InboundSequencer;
  readonly frames: SequencedFrameHandler;
  readonly presence: PresenceCache;
  readonly out: OutboundRequests;
  /** Drop the socket (a seq gap): the reconnect resumes from the last processed seq. */
  readonly drop: (error: SwitchboardError) => void;
  /** Report an error nobody awaits (a rejoin that failed). */
  readonly onError: (error: SwitchboardError) => void;
}

export class InboundFrames {
  readonly #parts: InboundFramesParts;
  /** From a resumed welcome: settle requests up to `id` once the replay reaches `untilSeq`. */
  #serverProcessed: { readonly id: number; readonly untilSeq: number } | undefined;

  constructor(parts: InboundFramesParts) {
    this.#parts = parts;
  }

  /** Take one sequenced frame; false when it was not taken (a gap: the socket is being dropped). */
  sequenced(frame: SequencedFrame): boolean {
    const { inbound, frames, out } = this.#parts;
    const verdict = inbound.accept(frame.seq);
    if (verdict === 'gap') {
      // Frames went missing; a resume from our last processed seq makes the server replay the hole.
      this.#parts.drop(
        new SwitchboardError('CONNECTION_LOST', `seq ${frame.seq} arrived after ${inbound.lastSeq}`),
      );
      return false;
    }
    out.frameProcessed();
    if (verdict === 'duplicate') return true;
    frames.handle(frame);
    const processed = this.#serverProcessed;
    if (processed !== undefined && inbound.lastSeq >= processed.untilSeq) this.#settle(processed.id);
    return true;
  }

  /** A resumed welcome: what the server processed settles once its replay has been applied. */
  resumed(welcome: WelcomeMessage): void {
    this.#parts.inbound.confirmResumed();
    if (this.#parts.inbound.lastSeq >= welcome.seq) this.#settle(welcome.lastClientId);
    else this.#serverProcessed = { id: welcome.lastClientId, untilSeq: welcome.seq };
  }

  /** A new session: seqs start over; after a lost one, fail its signals and rejoin its rooms. */
  startFresh(wasLost: boolean): void {
    const { inbound, presence, out } = this.#parts;
    inbound.reset(0);
    this.#serverProcessed = undefined;
    if (!wasLost) return;
    const rejoins: RequestBody[] = [];
    for (const room of presence.rooms) {
      const metadata = presence.selfMetadata(room);
      const maxPeers = presence.maxPeers(room);
      // With the room's cap: if the room emptied meanwhile, this rejoin re-creates it with the same cap.
      // The cache keeps metadata as the app sees it; the join advertises this SDK's features again.
      if (metadata !== undefined)
        rejoins.push({
          type: 'join',
          room,
          metadata: advertiseFeatures(metadata),
          ...(maxPeers === undefined ? {} : { maxPeers }),
        });
    }
    presence.clear();
    out.tracker.rejectWhere(
      (frame) => frame.type === 'signal',
      new SwitchboardError(
        'SESSION_LOST',
        'the session could not be resumed; this signal may not have been delivered',
      ),
    );
    for (const promise of out.tracker.renumber(rejoins)) {
      promise.catch((error: unknown) => this.#parts.onError(error as SwitchboardError));
    }
  }

  #settle(id: number): void {
    this.#serverProcessed = undefined;
    this.#parts.out.ackUpTo(id);
  }
}
