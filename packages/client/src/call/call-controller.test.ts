import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CallSignal } from '../peer/peer-manager-events.js';
import type { PeerManager } from '../peer/peer-manager.js';
import { CallController } from './call-controller.js';
import type { Call } from './call.js';

/**
 * Two controllers wired back to back through fake peer managers, each with one fake link whose connection
 * only dispatches `track` and lists senders: enough to see who adds media when. The real negotiation is
 * covered by call-control.webrtc.test.ts and call-media-order.e2e.test.ts.
 */
interface FakeSide {
  readonly controller: CallController;
  readonly pc: EventTarget & { senders: { track: MediaStreamTrack | null }[] };
  /** The streams the call added to the link, in order. */
  readonly added: MediaStream[];
  /** The call envelopes this side sent. */
  readonly sent: CallSignal[];
}

function fakeSide(
  selfId: string,
  deliver: (from: string, signal: CallSignal) => void,
): {
  side: FakeSide;
  receive: (from: string, signal: CallSignal) => void;
} {
  const pc = Object.assign(new EventTarget(), {
    senders: [] as { track: MediaStreamTrack | null }[],
    getSenders(): { track: MediaStreamTrack | null }[] {
      return this.senders;
    },
  });
  const added: MediaStream[] = [];
  const sent: CallSignal[] = [];
  const link = {
    pc,
    isClosed: false,
    remoteStreams: [],
    on: () => () => undefined,
    addStream: (stream: MediaStream) => added.push(stream),
    removeTrack: () => undefined,
  };
  let onSignal: ((from: string, signal: CallSignal) => void) | undefined;
  const peers = {
    on: (event: string, listener: (from: string, signal: CallSignal) => void) => {
      if (event === 'call-signal') onSignal = listener;
      return () => undefined;
    },
    connect: () => link,
    link: () => link,
    sendPeerSignal: (_to: string, signal: CallSignal) => {
      sent.push(signal);
      queueMicrotask(() => deliver(selfId, signal));
      return Promise.resolve();
    },
  };
  const controller = new CallController({ peers: peers as unknown as PeerManager });
  return { side: { controller, pc, added, sent }, receive: (from, signal) => onSignal?.(from, signal) };
}

function pair(): [FakeSide, FakeSide] {
  const ada = fakeSide('ada', (from, signal) => bob.receive(from, signal));
  const bob = fakeSide('bob', (from, signal) => ada.receive(from, signal));
  return [ada.side, bob.side];
}

function fakeStream(): MediaStream {
  const track = {} as MediaStreamTrack;
  return { getTracks: () => [track] } as unknown as MediaStream;
}

const incoming = (side: FakeSide): Promise<Call> =>
  new Promise((resolve) => side.controller.once('incoming', resolve));

/** Lets queued signal deliveries (microtasks) run. */
const flush = async (): Promise<void> => {
  await vi.advanceTimersByTimeAsync(0);
};

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('CallController: who offers first', () => {
  it('a caller with media says so in the invite, and the callee sends its media only after the caller media arrives', async () => {
    const [ada, bob] = pair();
    const adaStream = fakeStream();
    const bobStream = fakeStream();
    const ringing = incoming(bob);
    const call = ada.controller.call('bob', { video: true }, adaStream);
    const callee = await ringing;
    expect(ada.sent[0]).toEqual({ sb: 1, k: 'call', op: 'invite', id: call.id, m: { video: true }, o: 1 });
    callee.accept(bobStream);
    await flush();
    expect(call.phase).toBe('active');
    expect(ada.added).toEqual([adaStream]);
    expect(bob.added).toEqual([]);
    bob.pc.dispatchEvent(new Event('track'));
    bob.pc.dispatchEvent(new Event('track'));
    expect(bob.added).toEqual([bobStream]);
  });

  it('a caller with nothing to send sets no flag, and the callee sends its media at once', async () => {
    const [ada, bob] = pair();
    const ringing = incoming(bob);
    const call = ada.controller.call('bob');
    const callee = await ringing;
    expect(ada.sent[0]).toEqual({ sb: 1, k: 'call', op: 'invite', id: call.id, m: {} });
    const bobStream = fakeStream();
    callee.accept(bobStream);
    expect(bob.added).toEqual([bobStream]);
  });

  it('sets no flag when the caller link already sends every track of the stream (no offer would come)', async () => {
    const [ada, bob] = pair();
    const adaStream = fakeStream();
    ada.pc.senders.push({ track: adaStream.getTracks()[0]! });
    const ringing = incoming(bob);
    ada.controller.call('bob', {}, adaStream);
    await ringing;
    expect(ada.sent[0]).not.toHaveProperty('o');
  });

  it('stops waiting for the caller media after 10 s, so the callee media is never held forever', async () => {
    const [ada, bob] = pair();
    const ringing = incoming(bob);
    ada.controller.call('bob', {}, fakeStream());
    const callee = await ringing;
    const bobStream = fakeStream();
    callee.accept(bobStream);
    await vi.advanceTimersByTimeAsync(9_999);
    expect(bob.added).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(bob.added).toEqual([bobStream]);
  });

  it('sends nothing when the call ends while the callee waits', async () => {
    const [ada, bob] = pair();
    const ringing = incoming(bob);
    ada.controller.call('bob', {}, fakeStream());
    const callee = await ringing;
    callee.accept(fakeStream());
    callee.hangup();
    bob.pc.dispatchEvent(new Event('track'));
    await vi.advanceTimersByTimeAsync(20_000);
    expect(bob.added).toEqual([]);
  });
});
