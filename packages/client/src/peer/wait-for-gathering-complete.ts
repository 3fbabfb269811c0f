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
