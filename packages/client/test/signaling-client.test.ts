import { SignalingClient, SwitchboardError, type SignalingClientOptions } from '@switchboard/client';
import { startServer, type StartedServer } from '@switchboard/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { nextEvent } from './next-event.js';

describe('SignalingClient against a real server', () => {
  let server: StartedServer;
  const clients: SignalingClient[] = [];

  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server.close();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
  });

  async function connected(options: Partial<SignalingClientOptions> = {}): Promise<SignalingClient> {
    const client = new SignalingClient({ url: server.url, WebSocket, ...options });
    clients.push(client);
    await client.connect();
    return client;
  }

  it('connects and exposes the session, limits and state', async () => {
    const states: string[] = [];
    const client = new SignalingClient({ url: server.url, WebSocket });
    clients.push(client);
    client.on('state', (state) => states.push(state.state));
    await client.connect();
    expect(states).toEqual(['connecting', 'connected']);
    expect(client.state).toMatchObject({ state: 'connected', resumed: false, peerId: client.peerId });
    expect(client.peerId).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(client.sessionId).toBeTypeOf('string');
    expect(client.limits?.maxFrameBytes).toBeGreaterThan(0);
    expect(client.iceServers).toBeInstanceOf(Array);
  });

  it('shows rosters and presence diffs across three clients', async () => {
    const [a, b, c] = await Promise.all([connected(), connected(), connected()]);
    const first = await a.join('lobby', { nickname: 'ada' });
    expect(first.peers).toEqual([]);
    expect(first.self).toEqual({ peerId: a.peerId, metadata: { nickname: 'ada' } });

    const bJoinedAtA = nextEvent(a, 'peer-joined', (_room, peer) => peer.peerId === b.peerId);
    const second = await b.join('lobby', { nickname: 'bob' });
    expect(second.peers.map((peer) => peer.peerId)).toEqual([a.peerId]);
    await bJoinedAtA;

    const cJoinedAtA = nextEvent(a, 'peer-joined', (_room, peer) => peer.peerId === c.peerId);
    const cJoinedAtB = nextEvent(b, 'peer-joined', (_room, peer) => peer.peerId === c.peerId);
    const third = await c.join('lobby', { nickname: 'cat', status: 'available' });
    expect(third.peers.map((peer) => peer.peerId).sort()).toEqual([a.peerId, b.peerId].sort());
    await Promise.all([cJoinedAtA, cJoinedAtB]);
    expect(
      a
        .peers('lobby')
        .map((peer) => peer.metadata.nickname)
        .sort(),
    ).toEqual(['bob', 'cat']);
    expect(a.rooms).toEqual(['lobby']);

    const updatedAtA = nextEvent(a, 'peer-updated', (_room, peer) => peer.metadata.status === 'busy');
    await b.updateMetadata({ status: 'busy' }, 'lobby');
    const [, updated] = await updatedAtA;
    expect(updated).toMatchObject({ peerId: b.peerId, metadata: { nickname: 'bob', status: 'busy' } });
    expect(a.peers('lobby').find((peer) => peer.peerId === b.peerId)?.metadata.status).toBe('busy');

    const cLeftAtA = nextEvent(a, 'peer-left', (_room, peerId) => peerId === c.peerId);
    const cLeft = nextEvent(c, 'left');
    await c.leave('lobby');
    expect((await cLeftAtA)[2]).toBe('left');
    expect(await cLeft).toEqual(['lobby', 'left']);
    expect(c.rooms).toEqual([]);
    expect(a.peers('lobby').map((peer) => peer.peerId)).toEqual([b.peerId]);
  });

  it('agrees on exactly one polite side per pair', async () => {
    const [a, b] = await Promise.all([connected(), connected()]);
    await a.join('polite-room', { nickname: 'ada' });
    const bJoinedAtA = nextEvent(a, 'peer-joined');
    await b.join('polite-room', { nickname: 'bob' });
    await bJoinedAtA;
    expect(a.isPolite(b.peerId!)).toBe(!b.isPolite(a.peerId!));
  });

  it('relays signals both ways with the sender stamped by the server', async () => {
    const [a, b] = await Promise.all([connected(), connected()]);
    await a.join('relay', { nickname: 'ada' });
    await b.join('relay', { nickname: 'bob' });
    const atB = nextEvent(b, 'signal');
    await a.signal(b.peerId!, { sdp: 'offer' });
    expect(await atB).toEqual([a.peerId, { sdp: 'offer' }]);
    const atA = nextEvent(a, 'signal');
    await b.signal(a.peerId!, { sdp: 'answer' });
    expect(await atA).toEqual([b.peerId, { sdp: 'answer' }]);
  });

  it('settles a signal by the ack that rides on the answer, with no standalone ack frame', async () => {
    // Standalone acks would wait 10 s, longer than this test may take: only a piggybacked ack can settle.
    const slow = await startServer({ ackDelayMs: 10_000 });
    const options = { url: slow.url, WebSocket };
    const [a, b] = [new SignalingClient(options), new SignalingClient(options)];
    try {
      await Promise.all([a.connect(), b.connect()]);
      await a.join('ride', { nickname: 'ada' });
      await b.join('ride', { nickname: 'bob' });
      const offered = nextEvent(b, 'signal');
      const offer = a.signal(b.peerId!, 'offer');
      await offered;
      const answered = nextEvent(a, 'signal');
      void b.signal(a.peerId!, 'answer').catch(() => undefined);
      await answered;
      await offer;
    } finally {
      await Promise.all([a.close(), b.close()]);
      await slow.close();
    }
  });

  it('paces a burst beyond the server rate limit instead of having it refused with RATE_LIMITED', async () => {
    const limited = await startServer({ messagesPerSecond: 50, messageBurst: 20 });
    const options = { url: limited.url, WebSocket };
    const [a, b] = [new SignalingClient(options), new SignalingClient(options)];
    try {
      await Promise.all([a.connect(), b.connect()]);
      await a.join('burst', { nickname: 'ada' });
      await b.join('burst', { nickname: 'bob' });
      const received: unknown[] = [];
      const all = new Promise<void>((resolve) =>
        b.on('signal', (_from, data) => {
          if (received.push(data) === 40) resolve();
        }),
      );
      // Twice the burst at once: the client holds back what the server's token bucket would refuse.
      await Promise.all(Array.from({ length: 40 }, (_, n) => a.signal(b.peerId!, { n })));
      await all;
      expect(received).toEqual(Array.from({ length: 40 }, (_, n) => ({ n })));
    } finally {
      await Promise.all([a.close(), b.close()]);
      await limited.close();
    }
  });

  it('fails a signal to an unknown peer with PEER_NOT_FOUND, not a timeout', async () => {
    // A request timeout far longer than the test's own: only an immediate answer can pass.
    const a = await connected({ requestTimeoutMs: 60_000 });
    await a.join('lonely', { nickname: 'ada' });
    const error = await a.signal('no-such-peer', { x: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SwitchboardError);
    expect(error).toMatchObject({ code: 'PEER_NOT_FOUND', ref: expect.any(Number) });
  });

  it('rejects a join with the code of the error frame', async () => {
    const [a, b] = await Promise.all([connected(), connected()]);
    await a.join('nick', { nickname: 'Ada' });
    await expect(b.join('nick', { nickname: 'ADA' })).rejects.toMatchObject({ code: 'NICKNAME_TAKEN' });
    await expect(b.join('nick', { nickname: '   ' })).rejects.toMatchObject({ code: 'INVALID_NICKNAME' });
    expect(b.rooms).toEqual([]);
  });

  it('fails pending and later requests once closed', async () => {
    const a = await connected();
    await a.join('closing', { nickname: 'ada' });
    const pending = a.signal(a.peerId!, 'to myself').catch((e: unknown) => e);
    await a.close();
    const early = await pending;
    // The request either completed before close() or was failed by it; it never hangs.
    if (early !== undefined) expect(early).toMatchObject({ code: 'CONNECTION_CLOSED' });
    expect(a.state).toEqual({ state: 'closed', reason: undefined });
    await expect(a.join('closing', { nickname: 'ada' })).rejects.toMatchObject({ code: 'NOT_CONNECTED' });
  });

  it('refuses requests before connect()', async () => {
    const client = new SignalingClient({ url: server.url, WebSocket });
    await expect(client.signal('x', 1)).rejects.toMatchObject({ code: 'NOT_CONNECTED' });
  });
});
