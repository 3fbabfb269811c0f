/**
 * The SDK's features ride in presence metadata (ADR 0021): advertised on join and update, taken out before
 * the app sees any metadata, and readable per peer. Real server, real SDK clients, and a raw protocol client
 * standing in for an older SDK (which advertises nothing and sees the key as an ordinary field).
 */
import { SDK_FEATURES_KEY, SDP_CODEC, SignalingClient } from '@switchboard/client';
import { RawClient, startServer, type StartedServer } from '@switchboard/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { nextEvent } from './next-event.js';

describe('SDK features in presence', () => {
  let server: StartedServer;
  const closers: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server.close();
  });
  afterEach(async () => {
    await Promise.all(closers.splice(0).map((close) => close()));
  });

  async function sdk(): Promise<SignalingClient> {
    const client = new SignalingClient({ url: server.url, WebSocket });
    closers.push(() => client.close());
    await client.connect();
    return client;
  }

  it('are advertised to other SDKs and never shown to the app', async () => {
    const [a, b] = await Promise.all([sdk(), sdk()]);
    const first = await a.join('features', { nickname: 'ada', extra: { team: 'red' } });
    expect(first.self.metadata).toEqual({ nickname: 'ada', extra: { team: 'red' } });
    const joined = nextEvent(a, 'peer-joined', (_room, peer) => peer.peerId === b.peerId);
    const second = await b.join('features', { nickname: 'bob' });
    const [, bAtA] = await joined;
    expect(bAtA.metadata).toEqual({ nickname: 'bob' });
    expect(second.peers[0]?.metadata).toEqual({ nickname: 'ada', extra: { team: 'red' } });
    expect(a.peers('features')[0]?.metadata).toEqual({ nickname: 'bob' });
    expect(a.peerSupports(b.peerId as string, SDP_CODEC)).toBe(true);
    expect(b.peerSupports(a.peerId as string, SDP_CODEC)).toBe(true);
    expect(b.peerSupports(a.peerId as string, 'z9')).toBe(false);

    // An update that replaces extra keeps the key on the server, and out of the app's view.
    const updated = nextEvent(b, 'peer-updated', (_room, peer) => peer.peerId === a.peerId);
    await a.updateMetadata({ extra: { team: 'blue' } });
    const [, aAtB] = await updated;
    expect(aAtB.metadata).toEqual({ nickname: 'ada', extra: { team: 'blue' } });
    expect(a.peers('features')).toHaveLength(1);
    expect(b.peerSupports(a.peerId as string, SDP_CODEC)).toBe(true);
  });

  it('are absent for a client that advertises nothing, which sees the key as an ordinary field', async () => {
    const a = await sdk();
    await a.join('older', { nickname: 'ada' });
    const { client: raw, welcome } = await RawClient.hello(server.url);
    closers.push(() => raw.close());
    const joined = nextEvent(a, 'peer-joined', (_room, peer) => peer.peerId === welcome.peerId);
    raw.send({ type: 'join', id: raw.id(), room: 'older', metadata: { nickname: 'old' } });
    const roster = await raw.next((frame) => frame.type === 'roster');
    expect(roster.type === 'roster' && roster.peers[0]?.metadata).toEqual({
      nickname: 'ada',
      extra: { [SDK_FEATURES_KEY]: SDP_CODEC },
    });
    await joined;
    expect(a.peerSupports(welcome.peerId, SDP_CODEC)).toBe(false);
    expect(a.peerSupports('nobody-here', SDP_CODEC)).toBe(false);
  });
});
