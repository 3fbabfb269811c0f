/**
 * Closes `pc` on a fresh macrotask. A link often closes from inside one of its connection's own callbacks
 * (ICE gave up in `iceconnectionstatechange`, a bye handled while a channel event runs), and @roamhq/wrtc
 * can crash natively when `close()` tears the connection down while it is still dispatching that callback
 * (a vitest worker died that way in peer-link.webrtc.test.ts). Nothing observes the gap: the link is
 * already closed, and its handlers ignore late events.
 */
export function closeOutsideCallbacks(pc: RTCPeerConnection): void {
  setTimeout(() => {
    try {
      pc.close();
    } catch {
      // Already closed by its owner or by the implementation; nothing left to release.
    }
  }, 0);
}
