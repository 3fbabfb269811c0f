/**
 * `SignalingClient.join(room, metadata, { maxPeers })` against a real server: the cap reaches the server,
 * comes back in the snapshot, and a joiner past it is rejected with ROOM_FULL (ADR 0006).
 */
import { ExponentialBackoffPolicy, SignalingClient, SwitchboardError } from '@switchboard/client';
import { startServer, startTcpProxy, type StartedServer } from '@switchboard/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { nextEvent } from './next-event.js';

describe('SignalingClient.join with maxPeers', () => {
  let server: StartedServer;
  const clients: SignalingClient[] = [];

  beforeAll(async () => {
    server = await startServer({ maxPeersPerRoom: 8 });
  });
  afterAll(() => server.close());
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
  });

  async function connected(): Promise<SignalingClient> {
    const client = new SignalingClient({ url: server.url, WebSocket });
    clients.push(client);
    await client.connect();
    return client;
  }

  it('creates a room capped at 2 and refuses a third peer with ROOM_FULL', async () => {
    const ada = await connected();
    expect(await ada.join('duo', { nickname: 'ada' }, { maxPeers: 2 })).toMatchObject({
      room: 'duo',
      maxPeers: 2,
    });
    const bob = await connected();
    expect((await bob.join('duo', { nickname: 'bob' })).maxPeers).toBe(2);
    const cy = await connected();
    const refused = await cy
      .join('duo', { nickname: 'cy' }, { maxPeers: 8 })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(SwitchboardError);
    expect(refused).toMatchObject({ code: 'ROOM_FULL' });
  });

  it("rejects a cap over the server's limit with INVALID_MAX_PEERS", async () => {
    const ada = await connected();
    await expect(ada.join('big', { nickname: 'ada' }, { maxPeers: 9 })).rejects.toMatchObject({
      code: 'INVALID_MAX_PEERS',
    });
    expect(ada.rooms).toEqual([]);
  });

  it('rejoins with the room cap after a lost session, re-creating a room that emptied meanwhile', async () => {
    // A short grace window, so the session is lost within the test; its end is awaited as an event.
    const shortGrace = await startServer({ graceMs: 300, maxPeersPerRoom: 8 });
    const proxy = await startTcpProxy({ host: '127.0.0.1', port: shortGrace.port });
    const fastPolicy = new ExponentialBackoffPolicy({ baseDelayMs: 20, maxDelayMs: 200 });
    const base = { WebSocket, reconnectPolicy: fastPolicy } as const;
    const flaky = new SignalingClient({ url: proxy.wsUrl('/ws'), ...base });
    const steady = new SignalingClient({ url: shortGrace.url, ...base });
    const others = [0, 1].map(() => new SignalingClient({ url: shortGrace.url, ...base }));
    try {
      await Promise.all([flaky, steady, ...others].map((client) => client.connect()));
      await flaky.join('pair', { nickname: 'flaky' }, { maxPeers: 2 });
      await steady.join('pair', { nickname: 'steady' });
      const oldPeerId = flaky.peerId;
      proxy.block();
      const timedOut = nextEvent(steady, 'peer-left', (_room, peerId) => peerId === oldPeerId);
      proxy.destroyAll();
      await timedOut;
      // The room empties, so it and its cap are forgotten; only the SDK still knows the cap.
      await steady.leave('pair');
      const rejoined = nextEvent(flaky, 'roster', (snapshot) => snapshot.room === 'pair');
      proxy.unblock();
      expect((await rejoined)[0]).toMatchObject({ room: 'pair', maxPeers: 2, peers: [] });
      await others[0]!.join('pair', { nickname: 'second' });
      await expect(others[1]!.join('pair', { nickname: 'third' })).rejects.toMatchObject({
        code: 'ROOM_FULL',
      });
    } finally {
      await Promise.all([flaky, steady, ...others].map((client) => client.close()));
      await proxy.close();
      await shortGrace.close();
    }
  });
});
