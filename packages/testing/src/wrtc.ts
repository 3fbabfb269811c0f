/**
 * `@roamhq/wrtc` for Node peers in tests and examples: the W3C RTCPeerConnection, MediaStream and the
 * non-standard video/audio sources that let a Node peer send frames (shared/reference/lab.md §2).
 * wrtc gathers 127.0.0.1 host candidates, so it works inside a loopback-only network namespace unchanged.
 */
import { createRequire } from 'node:module';
import type * as Wrtc from '@roamhq/wrtc';
import type { RTCPeerConnectionConstructor } from '@switchboard/client';

// Loaded with Node's own require: Vite's resolver would pick the package's "browser" entry, which only
// re-exports the (absent) globals.
const wrtc = createRequire(import.meta.url)('@roamhq/wrtc') as typeof Wrtc;

/** wrtc's RTCPeerConnection, typed as the DOM one the SDK expects. */
export const WrtcPeerConnection: RTCPeerConnectionConstructor = wrtc.RTCPeerConnection;

/** wrtc's MediaStream constructor. */
export const WrtcMediaStream: typeof MediaStream = wrtc.MediaStream;

/** A synthetic video track from Node: grey I420 frames pushed at `fps` until `stop()`. */
export function createWrtcVideoTrack(
  width = 320,
  height = 240,
  fps = 15,
): { track: MediaStreamTrack; stop: () => void } {
  const source = new wrtc.nonstandard.RTCVideoSource();
  const track = source.createTrack();
  const data = new Uint8Array((width * height * 3) / 2);
  let shade = 0;
  const timer = setInterval(
    () => {
      shade = (shade + 8) % 256;
      data.fill(shade, 0, width * height);
      data.fill(128, width * height);
      source.onFrame({ width, height, data });
    },
    Math.round(1000 / fps),
  );
  return {
    track,
    stop: () => {
      clearInterval(timer);
      track.stop();
    },
  };
}
