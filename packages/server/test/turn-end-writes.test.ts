/**
 * A turn's frames to one socket leave in one write (ADR 0022), against a real server: whichever reads sent
 * them, a client gets what the server sends it during one turn of the event loop in a single `write`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type StartedServer } from '@switchboard/testing';
import { countServerWrites } from './helpers/count-server-writes.js';
import { inRoom } from './helpers/in-room.js';

describe('writes at the end of the turn', () => {
  let started: StartedServer;
  beforeAll(async () => {
    started = await startServer({ messagesPerSecond: 1_000_000, messageBurst: 1_000_000 });
  });
  afterAll(() => started.close());

  it('sends a client the signals of two senders, read in one turn, in one write', async () => {
    // Regression: each read wrote its frames at once, so a client that several peers signalled at the same
    // moment got one write (and, on loopback, one wake-up) per sender.
    const writesToA = countServerWrites(started);
    const a = await inRoom(started.url, 'burst', 'A');
    const b = await inRoom(started.url, 'burst', 'B');
    const c = await inRoom(started.url, 'burst', 'C');
    await a.client.next((f) => f.type === 'peer-joined' && f.peer.peerId === c.welcome.peerId);
    const before = writesToA.count;

    // Written synchronously on loopback, so all three frames wait in the server's two sockets before its
    // next poll: they are read in one turn, two of them in one read.
    const signal = (from: typeof b, data: string) =>
      from.client.send({ type: 'signal', id: from.client.id(), to: a.welcome.peerId, data });
    signal(b, 'b1');
    signal(b, 'b2');
    signal(c, 'c1');
    for (const data of ['b1', 'b2', 'c1']) await a.client.next((f) => f.type === 'signal' && f.data === data);

    expect(
      a.client
        .all('signal')
        .map((f) => f.data)
        .sort(),
    ).toEqual(['b1', 'b2', 'c1']);
    expect(writesToA.count - before).toBe(1);
    await Promise.all([a.client.close(), b.client.close(), c.client.close()]);
  });
});
