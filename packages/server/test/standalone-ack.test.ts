import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type StartedServer } from '@switchboard/testing';
import { inRoom } from './helpers/in-room.js';

const ACK_DELAY_MS = 20;

describe('standalone acks', () => {
  let started: StartedServer;
  beforeAll(async () => {
    started = await startServer({
      ackDelayMs: ACK_DELAY_MS,
      messagesPerSecond: 1_000_000,
      messageBurst: 1_000_000,
    });
  });
  afterAll(() => started.close());

  it('are not sent while acks ride on frames toward the client, and still come once those frames stop', async () => {
    // Regression: each flush of the ack wheel wrote a standalone ack to a client that had sent since it last
    // received, although the next frame toward it, milliseconds later, carried the same ack. In a steady
    // exchange about half the clients are in that state at any moment: 0.6–0.8 % of the open loop's frames.
    const a = await inRoom(started.url, 'steady', 'A');
    const b = await inRoom(started.url, 'steady', 'B');
    // `a` answers every frame from `b` at once, so it owes an ack for about half of each round trip, and
    // the wheel flushes it about every ACK_DELAY_MS: many chances for a redundant standalone ack.
    const startedAt = performance.now();
    let rounds = 0;
    while (performance.now() - startedAt < 15 * ACK_DELAY_MS) {
      a.client.send({
        type: 'signal',
        id: a.client.id(),
        to: b.welcome.peerId,
        data: rounds,
        ack: a.client.lastSeq,
      });
      await b.client.next((f) => f.type === 'signal');
      b.client.send({
        type: 'signal',
        id: b.client.id(),
        to: a.welcome.peerId,
        data: rounds,
        ack: b.client.lastSeq,
      });
      await a.client.next((f) => f.type === 'signal');
      rounds += 1;
    }
    expect(a.client.all('ack')).toEqual([]);
    const signalsToA = a.client.all('signal');
    expect(signalsToA).toHaveLength(rounds);
    expect(signalsToA.every((frame) => typeof frame.ack === 'number')).toBe(true);

    // Now nothing goes toward `a`: its last request is acknowledged alone, within two delays and ticks.
    const last = a.client.id();
    a.client.send({ type: 'signal', id: last, to: b.welcome.peerId, data: 'last', ack: a.client.lastSeq });
    expect(await a.client.next((f) => f.type === 'ack', 2_000)).toEqual({ type: 'ack', id: last });
    await Promise.all([a.client.close(), b.client.close()]);
  });
});
