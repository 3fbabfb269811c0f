/**
 * Signals that reach a SignalingClient before anything listens to `signal` (an app that joins a room before
 * it creates its PeerManager, as createNodePeer does) are kept and replayed to the first listener, in
 * order; what does not fit or waits too long is reported through `signal-dropped`. Regression: they used
 * to be emitted to nobody and lost without a word.
 */
import { SignalingClient, type SignalingClientOptions } from '@switchboard/client';
import { startServer, type StartedServer } from '@switchboard/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { nextEvent } from './next-event.js';

describe('SignalingClient early signals', () => {
  let server: StartedServer;
  const clients: SignalingClient[] = [];
  let rooms = 0;

  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server.close();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
  });

  /** `sender` and `receiver` in a fresh room; the receiver has no `signal` listener. */
  async function pair(
    receiverOptions: Partial<SignalingClientOptions> = {},
  ): Promise<{ sender: SignalingClient; receiver: SignalingClient }> {
    const room = `early-${++rooms}`;
    const sender = new SignalingClient({ url: server.url, WebSocket });
    const receiver = new SignalingClient({ url: server.url, WebSocket, ...receiverOptions });
    clients.push(sender, receiver);
    await Promise.all([sender.connect(), receiver.connect()]);
    await receiver.join(room, { nickname: 'receiver' });
    await sender.join(room, { nickname: 'sender' });
    return { sender, receiver };
  }

  /**
   * Send `values` from `sender`, then a metadata update: the receiver's `peer-updated` comes after the
   * signals in its stream, so once it is seen every signal has reached the receiving client.
   */
  async function sendAndSettle(sender: SignalingClient, receiver: SignalingClient, values: unknown[]) {
    const marker = nextEvent(receiver, 'peer-updated', (_room, peer) => peer.peerId === sender.peerId);
    // Sent in one go: they leave in order, and the broker keeps that order.
    await Promise.all([
      ...values.map((value) => sender.signal(receiver.peerId!, value)),
      sender.updateMetadata({ status: 'busy' }),
    ]);
    await marker;
  }

  /** Subscribe to `signal` and resolve once `count` signals came. */
  function collect(
    receiver: SignalingClient,
    count: number,
  ): { got: [string, unknown][]; done: Promise<void> } {
    const got: [string, unknown][] = [];
    const done = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${got.length} of ${count} signals came`)), 5000);
      receiver.on('signal', (from, data) => {
        got.push([from, data]);
        if (got.length === count) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    return { got, done };
  }

  it('replays signals that came before any listener to the first one, in order, after on() returns', async () => {
    const { sender, receiver } = await pair();
    const dropped: unknown[] = [];
    receiver.on('signal-dropped', (info) => dropped.push(info));
    await sendAndSettle(sender, receiver, [{ n: 0 }, { n: 1 }, { n: 2 }]);
    const { got, done } = collect(receiver, 4);
    expect(got).toEqual([]); // not inside the subscription itself
    // A live signal after the replay keeps its place behind the replayed ones.
    await sender.signal(receiver.peerId!, { n: 3 });
    await done;
    expect(got).toEqual([0, 1, 2, 3].map((n) => [sender.peerId, { n }]));
    expect(dropped).toEqual([]);
  });

  it('a once() listener takes one; the rest wait for the next listener', async () => {
    const { sender, receiver } = await pair();
    await sendAndSettle(sender, receiver, ['first', 'second']);
    const first = new Promise((resolve) => receiver.once('signal', (_from, data) => resolve(data)));
    expect(await first).toBe('first');
    const { got, done } = collect(receiver, 1);
    await done;
    expect(got).toEqual([[sender.peerId, 'second']]);
  });

  it('gives up the oldest beyond maxEarlySignals and says so with signal-dropped', async () => {
    const { sender, receiver } = await pair({ maxEarlySignals: 2 });
    const dropped = nextEvent(receiver, 'signal-dropped');
    await sendAndSettle(sender, receiver, ['a', 'b', 'c']);
    expect(await dropped).toEqual([{ from: sender.peerId, reason: 'overflow' }]);
    const { got, done } = collect(receiver, 2);
    await done;
    expect(got).toEqual([
      [sender.peerId, 'b'],
      [sender.peerId, 'c'],
    ]);
  });

  it('gives up a signal that waited longer than maxEarlySignalAgeMs, when it expires', async () => {
    const { sender, receiver } = await pair({ maxEarlySignalAgeMs: 200 });
    const dropped = nextEvent(receiver, 'signal-dropped');
    await sendAndSettle(sender, receiver, ['too old']);
    expect(await dropped).toEqual([{ from: sender.peerId, reason: 'expired' }]);
    const { got, done } = collect(receiver, 1);
    await sender.signal(receiver.peerId!, 'fresh');
    await done;
    expect(got).toEqual([[sender.peerId, 'fresh']]);
  });
});
