import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PingWheel, deadClientBoundMs, pongTimeoutTicks, type Pingable } from './ping-wheel.js';

const INTERVAL_MS = 1000;
const TICK_MS = INTERVAL_MS / 10;
const PONG_TIMEOUT_MS = 400;

class FakeSocket implements Pingable {
  isAlive = true;
  pingSlot = 0;
  pings = 0;
  terminated = false;
  /** Answers its pings (as a live client does) unless told otherwise. */
  constructor(public answers = true) {}
  ping(): void {
    this.pings += 1;
    if (this.answers) this.isAlive = true;
  }
  terminate(): void {
    this.terminated = true;
  }
}

describe('PingWheel', () => {
  let wheel: PingWheel<FakeSocket>;
  beforeEach(() => {
    vi.useFakeTimers();
    wheel = new PingWheel(INTERVAL_MS, PONG_TIMEOUT_MS);
  });
  afterEach(() => {
    wheel.stop();
    vi.useRealTimers();
  });

  it('first pings a socket between nine tenths of an interval and one interval after it joined', () => {
    vi.advanceTimersByTime(250); // the wheel is mid-turn when the socket opens
    const socket = new FakeSocket();
    wheel.add(socket);
    vi.advanceTimersByTime((INTERVAL_MS * 9) / 10 - 1);
    expect(socket.pings).toBe(0);
    vi.advanceTimersByTime(INTERVAL_MS / 10 + 1);
    expect(socket.pings).toBe(1);
  });

  it('pings each socket once per interval, counted from when it joined', () => {
    const joined = new Map<FakeSocket, number>();
    for (let i = 0; i < 20; i += 1) {
      const socket = new FakeSocket();
      wheel.add(socket);
      joined.set(socket, Date.now());
      if (i % 2 === 1) vi.advanceTimersByTime(TICK_MS);
    }
    vi.advanceTimersByTime(INTERVAL_MS * 2);
    const end = Date.now();
    for (const [socket, at] of joined) expect(socket.pings).toBe(Math.floor((end - at) / INTERVAL_MS));
    // Those that joined in the first tick have had three pings, the others two: one slot per tick.
    expect([...joined.keys()].map((s) => s.pings)).toEqual([3, 3, ...Array<number>(18).fill(2)]);
    expect([...joined.keys()].every((s) => !s.terminated)).toBe(true);
  });

  it('terminates a socket that leaves its ping unanswered for the pong timeout, and no sooner', () => {
    const silent = new FakeSocket(false);
    const live = new FakeSocket();
    wheel.add(silent);
    wheel.add(live);
    vi.advanceTimersByTime(INTERVAL_MS);
    expect(silent.pings).toBe(1);
    vi.advanceTimersByTime(PONG_TIMEOUT_MS - 1);
    expect(silent.terminated).toBe(false);
    vi.advanceTimersByTime(1);
    expect(silent.terminated).toBe(true);
    expect(live.terminated).toBe(false);
    vi.advanceTimersByTime(INTERVAL_MS);
    expect(live.terminated).toBe(false);
    expect(live.pings).toBe(2);
  });

  it('keeps a socket that answered its ping with any frame, and drops one that did not', () => {
    const talker = new FakeSocket(false);
    const mute = new FakeSocket(false);
    wheel.add(talker);
    wheel.add(mute);
    vi.advanceTimersByTime(INTERVAL_MS + TICK_MS);
    talker.isAlive = true; // a frame arrived (the transport sets isAlive on every frame)
    vi.advanceTimersByTime(PONG_TIMEOUT_MS - TICK_MS);
    expect(talker.terminated).toBe(false);
    expect(mute.terminated).toBe(true);
  });

  it('notices a dead client within one interval plus the pong timeout of its last sign of life', () => {
    const socket = new FakeSocket();
    wheel.add(socket);
    // It answers pings for a while, then dies just after answering one: the worst case.
    vi.advanceTimersByTime(INTERVAL_MS * 3);
    expect(socket.pings).toBe(3);
    const diedAt = Date.now();
    socket.answers = false;
    vi.advanceTimersByTime(INTERVAL_MS + PONG_TIMEOUT_MS - 1);
    expect(socket.terminated).toBe(false);
    vi.advanceTimersByTime(1);
    expect(socket.terminated).toBe(true);
    expect(Date.now() - diedAt).toBeLessThanOrEqual(deadClientBoundMs(INTERVAL_MS, PONG_TIMEOUT_MS));
  });

  it('counts the pong timeout in whole tenths of the interval, rounded down, from one to nine', () => {
    expect(pongTimeoutTicks(10_000, 4_000)).toBe(4);
    expect(pongTimeoutTicks(10_000, 4_999)).toBe(4);
    expect(pongTimeoutTicks(10_000, 1)).toBe(1);
    expect(pongTimeoutTicks(10_000, 10_000)).toBe(9);
    expect(pongTimeoutTicks(200, 80)).toBe(4);
    expect(deadClientBoundMs(10_000, 4_000)).toBe(14_000);
    expect(deadClientBoundMs(10_000, 4_999)).toBe(14_000);
  });

  it('stops pinging a deleted socket and counts what it holds', () => {
    const a = new FakeSocket();
    const b = new FakeSocket();
    wheel.add(a);
    vi.advanceTimersByTime(INTERVAL_MS / 2);
    wheel.add(b);
    expect(wheel.size).toBe(2);
    expect([...wheel]).toEqual(expect.arrayContaining([a, b]));
    wheel.delete(a);
    wheel.delete(a);
    expect(wheel.size).toBe(1);
    vi.advanceTimersByTime(INTERVAL_MS * 2);
    expect(a.pings).toBe(0);
    expect(b.pings).toBe(2);
  });
});
