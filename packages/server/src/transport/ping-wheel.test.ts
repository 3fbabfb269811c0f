import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PingWheel, type Pingable } from './ping-wheel.js';

const INTERVAL_MS = 800;

class FakeSocket implements Pingable {
  isAlive = true;
  pingSlot = 0;
  pings = 0;
  terminated = false;
  /** Answers its pings (as a live client does) unless told otherwise. */
  constructor(readonly answers = true) {}
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
    wheel = new PingWheel(INTERVAL_MS);
  });
  afterEach(() => {
    wheel.stop();
    vi.useRealTimers();
  });

  it('first pings a socket between seven eighths of an interval and one interval after it joined', () => {
    vi.advanceTimersByTime(250); // the wheel is mid-turn when the socket opens
    const socket = new FakeSocket();
    wheel.add(socket);
    vi.advanceTimersByTime((INTERVAL_MS * 7) / 8 - 1);
    expect(socket.pings).toBe(0);
    vi.advanceTimersByTime(INTERVAL_MS / 8 + 1);
    expect(socket.pings).toBe(1);
  });

  it('pings each socket once per interval, counted from when it joined', () => {
    const joined = new Map<FakeSocket, number>();
    for (let i = 0; i < 16; i += 1) {
      const socket = new FakeSocket();
      wheel.add(socket);
      joined.set(socket, Date.now());
      if (i % 2 === 1) vi.advanceTimersByTime(INTERVAL_MS / 8);
    }
    vi.advanceTimersByTime(INTERVAL_MS * 2);
    const end = Date.now();
    for (const [socket, at] of joined) expect(socket.pings).toBe(Math.floor((end - at) / INTERVAL_MS));
    // Those that joined in the first tick have had three pings, the others two: one slot per tick.
    expect([...joined.keys()].map((s) => s.pings)).toEqual([3, 3, ...Array<number>(14).fill(2)]);
  });

  it('terminates a socket that has not answered its last ping when the next is due', () => {
    const silent = new FakeSocket(false);
    const live = new FakeSocket();
    wheel.add(silent);
    wheel.add(live);
    vi.advanceTimersByTime(INTERVAL_MS);
    expect(silent.pings).toBe(1);
    expect(silent.terminated).toBe(false);
    vi.advanceTimersByTime(INTERVAL_MS);
    expect(silent.terminated).toBe(true);
    expect(live.terminated).toBe(false);
    expect(live.pings).toBe(2);
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
