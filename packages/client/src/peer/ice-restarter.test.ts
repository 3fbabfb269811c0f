import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BackoffIceRestartPolicy } from './ice-restart-policy.js';
import { IceRestarter } from './ice-restarter.js';

/** The part of RTCPeerConnection the restarter reads: the descriptions, and restartIce(). */
function fakePc(hasDescriptions: boolean) {
  const description = hasDescriptions ? { type: 'offer', sdp: 'v=0' } : null;
  return { localDescription: description, remoteDescription: description, restartIce: vi.fn() };
}

function restarter(pc: ReturnType<typeof fakePc>, connectTimeoutMs = 1000, maxAttempts = 2) {
  const events: string[] = [];
  const watcher = new IceRestarter({
    pc: pc as unknown as RTCPeerConnection,
    policy: new BackoffIceRestartPolicy({ baseDelayMs: 100, maxAttempts, random: () => 0.5 }),
    disconnectedTimeoutMs: 500,
    restartTimeoutMs: 2000,
    connectTimeoutMs,
    onRestart: ({ attempt, reason }) => events.push(`restart ${attempt} ${reason}`),
    onRecovered: ({ attempts }) => events.push(`recovered ${attempts}`),
    onGiveUp: ({ attempts, reason }) => events.push(`give-up ${attempts} ${reason}`),
  });
  return { watcher, events };
}

describe('IceRestarter watchdog', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('restarts a negotiated link stuck in checking, with backoff, then gives up by policy', () => {
    const pc = fakePc(true);
    const { watcher, events } = restarter(pc);
    watcher.onIceConnectionState('checking');
    vi.advanceTimersByTime(999);
    expect(events).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(events).toEqual(['restart 1 stuck']);
    vi.advanceTimersByTime(50); // the policy's delay (100 ms ceiling, jitter 0.5)
    expect(pc.restartIce).toHaveBeenCalledTimes(1);
    // Still checking after the restart: the restart's own timeout takes over, not a second watchdog.
    watcher.onIceConnectionState('checking');
    vi.advanceTimersByTime(2000);
    expect(events).toEqual(['restart 1 stuck', 'restart 2 timeout']);
    vi.advanceTimersByTime(100 + 2000);
    expect(events.at(-1)).toBe('give-up 2 timeout');
  });

  it('counts a restart from new as recovered once connected', () => {
    const pc = fakePc(true);
    const { watcher, events } = restarter(pc);
    watcher.onIceConnectionState('new');
    vi.advanceTimersByTime(1050);
    watcher.onIceConnectionState('connected');
    vi.advanceTimersByTime(10_000);
    expect(events).toEqual(['restart 1 stuck', 'recovered 1']);
  });

  it('leaves an idle link (nothing negotiated) and a link that connects in time alone', () => {
    const idle = restarter(fakePc(false));
    idle.watcher.onIceConnectionState('new');
    vi.advanceTimersByTime(10_000);
    expect(idle.events).toEqual([]);

    const quick = restarter(fakePc(true));
    quick.watcher.onIceConnectionState('checking');
    vi.advanceTimersByTime(500);
    quick.watcher.onIceConnectionState('connected');
    vi.advanceTimersByTime(10_000);
    expect(quick.events).toEqual([]);
  });

  it('is off when connectTimeoutMs is 0', () => {
    const { watcher, events } = restarter(fakePc(true), 0);
    watcher.onIceConnectionState('checking');
    vi.advanceTimersByTime(60_000);
    expect(events).toEqual([]);
  });
});
