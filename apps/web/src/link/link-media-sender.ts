/**
 * Sends the person's camera and microphone on a link and keeps it in step with LocalMedia: a switched
 * camera, a screen share or a new microphone replaces the track on the same sender (no renegotiation); a
 * kind that appears later (permission granted mid-call) is added, which renegotiates.
 */
import type { PeerLink } from '@switchboard/client';
import type { LocalMedia } from '../media/local-media.js';

/**
 * Keeps `link` sending what `media` has. With `isAlreadySent`, the current tracks were added by someone
 * else (the SDK's Call adds the stream on accept) and are only followed from now on. Call the returned
 * function to stop following.
 */
export function sendLocalMedia(link: PeerLink, media: LocalMedia, isAlreadySent = false): () => void {
  const sent = new Map<'audio' | 'video', MediaStreamTrack | null>();
  for (const track of media.stream.getTracks()) {
    if (!isAlreadySent) link.addTrack(track, media.stream);
    sent.set(track.kind as 'audio' | 'video', track);
  }
  return media.trackReplaced.add((kind, track) => {
    if (link.isClosed) return;
    const previous = sent.get(kind) ?? null;
    sent.set(kind, track);
    if (previous !== null) {
      void link.replaceTrack(previous, track);
    } else if (track !== null) {
      link.addTrack(track, media.stream);
    }
  });
}
