/**
 * Runs something once, on the connection's next remote track or after a bounded wait, whichever comes
 * first. The callee of a call uses it to send its media only after the caller's media offer has been
 * applied (call.ts explains why).
 *
 * Why a remote track and not just any remote description: the caller's first offer may be an earlier one
 * that carries only a data channel, and the offer that adds the caller's media comes after it. Adding the
 * callee's tracks between the two would make the callee offer at the moment the caller does, which is the
 * crossing this exists to avoid. `track` fires while setRemoteDescription(offer) applies the caller's media
 * and before the answer is made, so tracks added from here usually ride in that answer.
 */

/**
 * Calls `run` once: on the first `track` event of `pc` from now on, or after `timeoutMs`. Returns a function
 * that cancels it (safe to call after `run` ran).
 */
export function afterRemoteTrack(pc: RTCPeerConnection, timeoutMs: number, run: () => void): () => void {
  let isDone = false;
  const finish = (): void => {
    if (isDone) return;
    cancel();
    run();
  };
  const timer = setTimeout(finish, timeoutMs);
  pc.addEventListener('track', finish);
  const cancel = (): void => {
    isDone = true;
    clearTimeout(timer);
    pc.removeEventListener('track', finish);
  };
  return cancel;
}
