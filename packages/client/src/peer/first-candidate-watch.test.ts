import { describe, expect, it } from 'vitest';
import { FirstCandidateWatch } from './first-candidate-watch.js';

/** Just the events and the one field the watch reads; the real connection is covered by media-glare.e2e. */
class FakeConnection extends EventTarget {
  iceGatheringState: RTCIceGatheringState = 'new';
}

function watchOf(pc: FakeConnection): FirstCandidateWatch {
  return new FirstCandidateWatch(pc as unknown as RTCPeerConnection);
}

describe('FirstCandidateWatch', () => {
  it('holds a waiter until the first candidate, then lets every later wait through at once', async () => {
    const pc = new FakeConnection();
    const watch = watchOf(pc);
    let isSettled = false;
    const waiting = watch.wait(10_000).then(() => (isSettled = true));
    await Promise.resolve();
    expect(isSettled).toBe(false);
    pc.dispatchEvent(new Event('icecandidate'));
    await waiting;
    expect(watch.hasGathered).toBe(true);
    await expect(watch.wait(10_000)).resolves.toBeUndefined();
  });

  it('counts a finished gathering as gathered', async () => {
    const pc = new FakeConnection();
    const watch = watchOf(pc);
    const waiting = watch.wait(10_000);
    pc.iceGatheringState = 'complete';
    pc.dispatchEvent(new Event('icegatheringstatechange'));
    await waiting;
    expect(watch.hasGathered).toBe(true);
  });

  it('gives up after the bound without claiming a candidate', async () => {
    const watch = watchOf(new FakeConnection());
    await watch.wait(5);
    expect(watch.hasGathered).toBe(false);
  });
});
