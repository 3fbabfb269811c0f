/**
 * The tracks a link sends, by track, so that a track can be removed or swapped without the app keeping
 * RTCRtpSenders. Adding or removing a track renegotiates (through `negotiationneeded`); replacing one does
 * not, which is what makes camera switching, screen sharing and muting instant (peerjs #870 asks for this).
 */
import { SwitchboardError } from '@switchboard/protocol';

/** Local tracks of one RTCPeerConnection. */
export class LocalMedia {
  readonly #pc: RTCPeerConnection;
  readonly #senders = new Map<MediaStreamTrack, RTCRtpSender>();

  constructor(pc: RTCPeerConnection) {
    this.#pc = pc;
  }

  /** Tracks being sent now. */
  get tracks(): MediaStreamTrack[] {
    return [...this.#senders.keys()];
  }

  /** Sends `track` as part of `stream` (renegotiates). */
  add(track: MediaStreamTrack, stream: MediaStream): RTCRtpSender {
    const existing = this.#senders.get(track);
    if (existing !== undefined) return existing;
    const sender = this.#pc.addTrack(track, stream);
    this.#senders.set(track, sender);
    return sender;
  }

  /** Stops sending `track` (renegotiates). Unknown tracks are ignored. */
  remove(track: MediaStreamTrack): void {
    const sender = this.#senders.get(track);
    if (sender === undefined) return;
    this.#senders.delete(track);
    this.#pc.removeTrack(sender);
  }

  /** Swaps `oldTrack` for `newTrack` (or nothing) on the same sender, without renegotiation. */
  async replace(oldTrack: MediaStreamTrack, newTrack: MediaStreamTrack | null): Promise<void> {
    const sender = this.#senders.get(oldTrack);
    if (sender === undefined) {
      throw new SwitchboardError(
        'INVALID_OPTIONS',
        'replaceTrack: the old track is not being sent on this link.',
      );
    }
    await sender.replaceTrack(newTrack);
    this.#senders.delete(oldTrack);
    // A null replacement keeps the sender under the old track, so it can be swapped back in later.
    this.#senders.set(newTrack ?? oldTrack, sender);
  }
}
