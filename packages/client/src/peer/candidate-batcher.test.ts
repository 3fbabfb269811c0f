import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CandidateBatcher, type CandidateBatch } from './candidate-batcher.js';

const host = (n: number): RTCIceCandidateInit => ({
  candidate: `candidate:${n} 1 udp 2122260223 127.0.0.1 ${5000 + n} typ host generation 0 ufrag uf network-id 1`,
  sdpMid: '0',
  sdpMLineIndex: 0,
  usernameFragment: 'uf',
});
/** Chromium's SDP lists a candidate without the `ufrag` extension its icecandidate event has. */
const sdpWith = (...ns: number[]): string =>
  `v=0\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n${ns
    .map((n) => `a=${host(n).candidate!.replace(' ufrag uf', '')}\r\n`)
    .join('')}`;

describe('CandidateBatcher', () => {
  let flushed: CandidateBatch[];
  let batcher: CandidateBatcher;
  beforeEach(() => {
    vi.useFakeTimers();
    flushed = [];
    batcher = new CandidateBatcher(10, (batch) => flushed.push(batch));
  });
  afterEach(() => {
    batcher.dispose();
    vi.useRealTimers();
  });

  it('sends the candidates of one window together, and the end of candidates at once', () => {
    batcher.add(host(1));
    batcher.add(host(2));
    expect(flushed).toEqual([]);
    vi.advanceTimersByTime(10);
    expect(flushed.map((b) => b.candidates.length)).toEqual([2]);
    batcher.add(host(3));
    batcher.end(() => true);
    expect(flushed[1]).toEqual({ candidates: [[host(3).candidate, '0', 0, 'uf']], isEndOfCandidates: true });
  });

  it('holds candidates for a description and returns only those its SDP lacks', async () => {
    batcher.hold();
    const burst = batcher.whenHeldBurst();
    batcher.add(host(1));
    batcher.add(host(2));
    await vi.advanceTimersByTimeAsync(0);
    await burst;
    const rest = batcher.release(sdpWith(1));
    expect(rest).toEqual({ candidates: [[host(2).candidate, '0', 0, 'uf']], isEndOfCandidates: false });
    vi.advanceTimersByTime(50);
    expect(flushed).toEqual([]);
  });

  it('folds an end of candidates that came while holding into the release, not a flush', () => {
    batcher.hold();
    batcher.add(host(1));
    batcher.end(() => true);
    expect(flushed).toEqual([]);
    expect(batcher.release(sdpWith(1))).toEqual({ candidates: [], isEndOfCandidates: true });
  });

  it('lets a description go without candidates after one window when none come', async () => {
    batcher.hold();
    let isDone = false;
    const burst = batcher.whenHeldBurst().then(() => (isDone = true));
    await vi.advanceTimersByTimeAsync(9);
    expect(isDone).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await burst;
    expect(isDone).toBe(true);
  });

  it('holds a first offer until each of its m-sections has a candidate', async () => {
    const inMid = (n: number, mid: string): RTCIceCandidateInit => ({ ...host(n), sdpMid: mid });
    batcher.hold();
    let isDone = false;
    const burst = batcher.whenHeldBurst(new Set(['0', '1', '2'])).then(() => (isDone = true));
    batcher.add(inMid(1, '0'));
    batcher.add(inMid(2, '1'));
    await vi.advanceTimersByTimeAsync(1);
    expect(isDone).toBe(false);
    batcher.add(inMid(3, '2'));
    await vi.advanceTimersByTimeAsync(0);
    await burst;
    expect(isDone).toBe(true);
    vi.advanceTimersByTime(50);
    expect(flushed).toEqual([]);
  });

  it('drops a lone end of candidates when the link connected within one window', () => {
    let isConnected = false;
    batcher.end(() => !isConnected);
    vi.advanceTimersByTime(5);
    isConnected = true;
    vi.advanceTimersByTime(5);
    expect(flushed).toEqual([]);
  });

  it('sends a lone end of candidates after one window while the link is not connected', () => {
    batcher.end(() => true);
    vi.advanceTimersByTime(9);
    expect(flushed).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(flushed).toEqual([{ candidates: [], isEndOfCandidates: true }]);
  });

  it('carries an end of candidates with waiting candidates at once, connected or not', () => {
    batcher.add(host(1));
    batcher.end(() => false);
    expect(flushed).toEqual([{ candidates: [[host(1).candidate, '0', 0, 'uf']], isEndOfCandidates: true }]);
  });

  it('forgets a lone end of candidates when a new description starts (ICE restart)', () => {
    batcher.end(() => true);
    batcher.hold();
    vi.advanceTimersByTime(50);
    expect(flushed).toEqual([]);
  });

  it('batches as usual again after a release', () => {
    batcher.hold();
    batcher.release(sdpWith());
    batcher.add(host(4));
    vi.advanceTimersByTime(10);
    expect(flushed.map((b) => b.candidates.length)).toEqual([1]);
  });
});
