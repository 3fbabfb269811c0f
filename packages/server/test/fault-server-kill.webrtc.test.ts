/**
 * The server is killed mid-call (SIGKILL: nothing drained or flushed). The P2P data channel between the two
 * Node peers must keep working while the server is gone, and both SDK clients must reconnect by themselves
 * and find each other in the room again once a server is back on the same address.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectionState } from '@switchboard/client';
import {
  createNodePeer,
  freePort,
  nextMessage,
  remoteLink,
  startServerChild,
  type NodePeer,
  type ServerChild,
} from '@switchboard/testing';

const opened: { servers: ServerChild[]; peers: NodePeer[] } = { servers: [], peers: [] };

afterEach(async () => {
  for (const peer of opened.peers.splice(0)) await peer.close();
  for (const server of opened.servers.splice(0)) await server.kill();
});

function nextState(peer: NodePeer, wanted: ConnectionState['state']): Promise<void> {
  if (peer.client.state.state === wanted) return Promise.resolve();
  return new Promise((resolve) => {
    const off = peer.client.on('state', (state) => {
      if (state.state !== wanted) return;
      off();
      resolve();
    });
  });
}

describe('server killed mid-call', () => {
  it('keeps the P2P link up, and the clients reconnect when the server returns', async () => {
    const port = await freePort();
    opened.servers.push(await startServerChild({ port }));
    const url = `ws://127.0.0.1:${port}/ws`;
    const a = await createNodePeer({ url, room: 'call', nickname: 'ada' });
    const b = await createNodePeer({ url, room: 'call', nickname: 'bob' });
    opened.peers.push(a, b);

    const link = a.peers.connect(b.peerId);
    const first = remoteLink(b, a.peerId).then((l) => nextMessage(l, 'chat'));
    await link.channel('chat').send('before the crash');
    expect(await first).toEqual({ kind: 'text', text: 'before the crash' });
    const bLink = b.peers.link(a.peerId)!;

    const aLost = nextState(a, 'reconnecting');
    const bLost = nextState(b, 'reconnecting');
    await opened.servers[0]!.kill();
    await Promise.all([aLost, bLost]);

    // No server: the media and data path is peer to peer and does not notice.
    const toB = nextMessage(bLink, 'chat');
    await link.channel('chat').send('while the server is down');
    expect(await toB).toEqual({ kind: 'text', text: 'while the server is down' });

    // A server comes back on the same address; both clients find it and meet again in their room.
    const aBack = nextState(a, 'connected');
    const bBack = nextState(b, 'connected');
    opened.servers.push(await startServerChild({ port }));
    await Promise.all([aBack, bBack]);
    const seesEachOther = (peer: NodePeer, other: NodePeer): Promise<void> =>
      new Promise((resolve) => {
        const check = (): void => {
          if (peer.client.peers('call').some((p) => p.peerId === other.client.peerId)) {
            off1();
            off2();
            resolve();
          }
        };
        const off1 = peer.client.on('roster', check);
        const off2 = peer.client.on('peer-joined', check);
        check();
      });
    await Promise.all([seesEachOther(a, b), seesEachOther(b, a)]);

    const toA = nextMessage(link, 'chat');
    await bLink.channel('chat').send('after the restart');
    expect(await toA).toEqual({ kind: 'text', text: 'after the restart' });
  });
});
