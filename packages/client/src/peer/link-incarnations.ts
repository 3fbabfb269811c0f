/**
 * Tells envelopes of the current incarnation of a link from late ones of an earlier incarnation to the
 * same peer. Every link has a random id; envelopes carry the sender's link id (`l`) and, once known, the
 * recipient's (`r`) (peer-signal.ts). Without this, a candidate, answer or bye still in flight from a link
 * that was hung up would land on the new link to the same peer and corrupt or close it.
 *
 * Rules, for an envelope from peer P (pure; PeerManager acts on the verdict):
 * - `l` belongs to a link of P that has closed: `stale`.
 * - No link to P: an offer starts one (`start`); candidates may precede a link by a moment and wait
 *   (`early`); an answer or a bye has nothing to apply to (`stale`).
 * - A link to P exists: `r` naming another of our links is `stale`. An `l` other than the remote link id
 *   the link already knows is a new incarnation on P's side if it is an offer (`replace`: close ours,
 *   start afresh), and `stale` otherwise. Anything else is delivered.
 * Envelopes without ids (older SDKs) are delivered as before.
 */
import type { PeerSignal } from './peer-signal.js';

/** What to do with one envelope. */
export type IncarnationVerdict = 'deliver' | 'start' | 'replace' | 'early' | 'stale';

/** What the classifier needs to know about the current link to the sender. */
export interface LinkIdentity {
  /** Our link's id. */
  readonly linkId: string;
  /** The remote link's id, once an envelope from it arrived. */
  readonly remoteLinkId: string | undefined;
}

/** How many closed remote link ids are remembered (oldest forgotten first). */
const RETIRED_CAPACITY = 256;

/** Remembers closed incarnations and classifies envelopes. */
export class LinkIncarnations {
  readonly #retired = new Set<string>();

  /** Marks `remoteLinkId` of peer `peerId` as closed: its late envelopes are stale from now on. */
  retire(peerId: string, remoteLinkId: string | undefined): void {
    if (remoteLinkId === undefined) return;
    const key = `${peerId}\n${remoteLinkId}`;
    this.#retired.delete(key);
    this.#retired.add(key);
    if (this.#retired.size > RETIRED_CAPACITY) {
      const oldest = this.#retired.values().next().value;
      if (oldest !== undefined) this.#retired.delete(oldest);
    }
  }

  /** The verdict for `signal` from `peerId`, given our current link to it (if any). */
  classify(
    peerId: string,
    signal: Exclude<PeerSignal, { k: 'call' }>,
    link: LinkIdentity | undefined,
  ): IncarnationVerdict {
    const isOffer = signal.k === 'sdp' && signal.t === 'offer';
    if (signal.l !== undefined && this.#retired.has(`${peerId}\n${signal.l}`)) return 'stale';
    if (link === undefined) {
      if (isOffer) return 'start';
      return signal.k === 'ice' ? 'early' : 'stale';
    }
    if (signal.r !== undefined && signal.r !== link.linkId) return 'stale';
    if (signal.l !== undefined && link.remoteLinkId !== undefined && signal.l !== link.remoteLinkId)
      return isOffer ? 'replace' : 'stale';
    return 'deliver';
  }
}
