import { SwitchboardError } from '@switchboard/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RequestTracker } from './request-tracker.js';

const signal = (to: string) => ({ type: 'signal' as const, to, data: { n: to } });
const join = (room: string) => ({ type: 'join' as const, room, metadata: { nickname: 'ada' } });

describe('RequestTracker', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('assigns strictly increasing ids and lists pending requests in order', () => {
    const tracker = new RequestTracker();
    const ids = [signal('a'), join('lobby'), signal('b')].map((body) => tracker.add(body).frame.id);
    expect(ids).toEqual([1, 2, 3]);
    expect(tracker.after(1).map((frame) => frame.id)).toEqual([2, 3]);
  });

  it('settles signals on a cumulative ack but leaves joins waiting for their roster', async () => {
    const tracker = new RequestTracker();
    const first = tracker.add(signal('a'));
    const joining = tracker.add(join('lobby'));
    const second = tracker.add(signal('b'));
    const third = tracker.add(signal('c'));
    const settled = tracker.ackUpTo(3);
    expect(settled.map((frame) => frame.id)).toEqual([1, 3]);
    await expect(first.promise).resolves.toBeUndefined();
    await expect(second.promise).resolves.toBeUndefined();
    expect(tracker.has(joining.frame.id)).toBe(true);
    expect(tracker.has(third.frame.id)).toBe(true);
    tracker.resolve(joining.frame.id, { room: 'lobby' });
    await expect(joining.promise).resolves.toEqual({ room: 'lobby' });
  });

  it('rejects a request with the error that names it', async () => {
    const tracker = new RequestTracker();
    const { frame, promise } = tracker.add(signal('ghost'));
    tracker.reject(frame.id, new SwitchboardError('PEER_NOT_FOUND', 'no such peer', { ref: frame.id }));
    await expect(promise).rejects.toMatchObject({ code: 'PEER_NOT_FOUND', ref: 1 });
    expect(tracker.size).toBe(0);
  });

  it('times a request out only while it is on a live socket', async () => {
    vi.useFakeTimers();
    const tracker = new RequestTracker();
    const { frame, promise } = tracker.add(signal('a'));
    const outcome = promise.then(
      () => 'resolved',
      (error: unknown) => (error as SwitchboardError).code,
    );
    tracker.markSent(frame.id, 1000);
    vi.advanceTimersByTime(900);
    tracker.pauseTimers();
    vi.advanceTimersByTime(60_000);
    expect(tracker.has(frame.id)).toBe(true);
    tracker.markSent(frame.id, 1000);
    vi.advanceTimersByTime(1001); // the timeout, and the turn it leaves a late answer
    await expect(outcome).resolves.toBe('TIMEOUT');
  });

  it('lets an answer that is already waiting settle a request whose timer ran out during a stall', async () => {
    vi.useFakeTimers();
    const tracker = new RequestTracker();
    const { frame, promise } = tracker.add(signal('a'));
    tracker.markSent(frame.id, 1000);
    vi.advanceTimersToNextTimer(); // the overdue timer runs first, as after a stalled event loop...
    tracker.ackUpTo(frame.id); // ...then the ack that sat in the socket is read
    vi.advanceTimersByTime(10);
    await expect(promise).resolves.toBeUndefined();
  });

  it('renumbers pending requests after the ones a new session must send first', async () => {
    const tracker = new RequestTracker();
    tracker.add(signal('a'));
    tracker.add(join('room-b'));
    const [rejoin] = tracker.renumber([join('lobby')]);
    expect(tracker.after(0).map((frame) => [frame.id, frame.type])).toEqual([
      [3, 'join'],
      [4, 'signal'],
      [5, 'join'],
    ]);
    tracker.resolve(3, 'snapshot');
    await expect(rejoin).resolves.toBe('snapshot');
  });

  it('fails only the requests a predicate picks', async () => {
    const tracker = new RequestTracker();
    const signalled = tracker.add(signal('a'));
    tracker.add(join('lobby'));
    tracker.rejectWhere((frame) => frame.type === 'signal', new SwitchboardError('SESSION_LOST', 'gone'));
    await expect(signalled.promise).rejects.toMatchObject({ code: 'SESSION_LOST' });
    expect(tracker.after(0).map((frame) => frame.type)).toEqual(['join']);
  });
});
