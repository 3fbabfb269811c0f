import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { afterRemoteTrack } from './after-remote-track.js';

/** Only the events the helper listens to; real connections are covered by call-control.webrtc. */
function fakeConnection(): RTCPeerConnection {
  return new EventTarget() as unknown as RTCPeerConnection;
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('afterRemoteTrack', () => {
  it('runs once, on the first remote track, and not again on later tracks or the timer', () => {
    const pc = fakeConnection();
    const run = vi.fn();
    afterRemoteTrack(pc, 1000, run);
    expect(run).not.toHaveBeenCalled();
    pc.dispatchEvent(new Event('track'));
    pc.dispatchEvent(new Event('track'));
    vi.advanceTimersByTime(5000);
    expect(run).toHaveBeenCalledTimes(1);
  });

  it('runs after the bound when no track comes, so the wait cannot last forever', () => {
    const pc = fakeConnection();
    const run = vi.fn();
    afterRemoteTrack(pc, 1000, run);
    vi.advanceTimersByTime(999);
    expect(run).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(run).toHaveBeenCalledTimes(1);
    pc.dispatchEvent(new Event('track'));
    expect(run).toHaveBeenCalledTimes(1);
  });

  it('never runs once cancelled', () => {
    const pc = fakeConnection();
    const run = vi.fn();
    const cancel = afterRemoteTrack(pc, 1000, run);
    cancel();
    pc.dispatchEvent(new Event('track'));
    vi.advanceTimersByTime(5000);
    expect(run).not.toHaveBeenCalled();
    cancel();
  });
});
