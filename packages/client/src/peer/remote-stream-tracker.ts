/**
 * Surfaces remote media once per stream, not once per track: a camera stream with audio and video fires
 * `track` twice, and PeerJS users get duplicate `stream` events from that (peerjs #609, #639, #764). A stream
 * is announced on its first track and withdrawn when its last track is removed by renegotiation.
 */

/** Tracks which remote streams were announced. */
export class RemoteStreamTracker {
  readonly #streams = new Map<string, MediaStream>();
  readonly #onStream: (stream: MediaStream) => void;
  readonly #onStreamRemoved: (stream: MediaStream) => void;

  constructor(onStream: (stream: MediaStream) => void, onStreamRemoved: (stream: MediaStream) => void) {
    this.#onStream = onStream;
    this.#onStreamRemoved = onStreamRemoved;
  }

  /** The remote streams currently announced. */
  get streams(): MediaStream[] {
    return [...this.#streams.values()];
  }

  /** Feed every `track` event of the connection here. */
  onTrack(event: RTCTrackEvent): void {
    for (const stream of event.streams) {
      if (this.#streams.has(stream.id)) continue;
      this.#streams.set(stream.id, stream);
      stream.addEventListener('removetrack', () => {
        if (stream.getTracks().length === 0 && this.#streams.delete(stream.id)) this.#onStreamRemoved(stream);
      });
      this.#onStream(stream);
    }
  }

  /** Forgets every stream (the link closed). */
  clear(): void {
    this.#streams.clear();
  }
}
