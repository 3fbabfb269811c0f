/**
 * The first offer of a link (ADR 0017, addendum): it starts in the same task as the channel or track that
 * needs it, not in `negotiationneeded`'s later task; channels and tracks added together still share it, and
 * a link that an incoming offer created answers instead. Node peers (@roamhq/wrtc) through the real server.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { unpackSdp, type RTCPeerConnectionConstructor } from '@switchboard/client';
import {
  createNodePeer,
  createWrtcVideoTrack,
  nextMessage,
  remoteLink,
  startServer,
  WrtcMediaStream,
  WrtcPeerConnection,
  type NodePeer,
  type StartedServer,
} from '@switchboard/testing';

let server: StartedServer | undefined;
const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  await server?.close();
  server = undefined;
});

/** wrtc's RTCPeerConnection with `negotiationneeded` hidden from every listener: only an offer made without it can connect. */
function deafToNegotiationNeeded(configuration?: RTCConfiguration): RTCPeerConnection {
  const pc = new WrtcPeerConnection(configuration);
  const listen = pc.addEventListener.bind(pc);
  pc.addEventListener = ((type: string, ...rest: [EventListenerOrEventListenerObject]) => {
    if (type !== 'negotiationneeded') listen(type, ...rest);
  }) as RTCPeerConnection['addEventListener'];
  return pc;
}

async function peer(url: string, nickname: string, Pc?: RTCPeerConnectionConstructor): Promise<NodePeer> {
  const created = await createNodePeer({ url, room: 'first-offer', nickname, RTCPeerConnection: Pc });
  closers.push(() => created.close());
  return created;
}

describe('the first offer of a link', () => {
  it('is made without waiting for negotiationneeded (a connection that never fires it still connects)', async () => {
    server = await startServer();
    const b = await peer(server.url, 'callee');
    const a = await peer(
      server.url,
      'caller',
      deafToNegotiationNeeded as unknown as RTCPeerConnectionConstructor,
    );
    const link = a.peers.connect(b.peerId);
    const arrived = remoteLink(b, a.peerId).then((l) => nextMessage(l, 'chat'));
    await link.channel('chat').send('offered without the event');
    expect(await arrived).toEqual({ kind: 'text', text: 'offered without the event' });
    expect(link.pc.localDescription?.sdp).toContain('m=application');
  });

  it('carries a channel and a track added in the same synchronous block: one offer, no renegotiation', async () => {
    server = await startServer();
    const b = await peer(server.url, 'callee');
    const a = await peer(server.url, 'caller');
    const offers: string[] = [];
    b.client.on('signal', (_from, data) => {
      // Descriptions between two current SDKs travel packed (`z`, ADR 0021).
      const signal = data as { k?: string; t?: string; s?: string; z?: string };
      if (signal.k === 'sdp' && signal.t === 'offer')
        offers.push(signal.s ?? (signal.z === undefined ? '' : (unpackSdp(signal.z) ?? '')));
    });
    const video = createWrtcVideoTrack();
    closers.push(() => video.stop());
    const link = a.peers.connect(b.peerId);
    const chat = link.channel('chat');
    link.addTrack(video.track, new WrtcMediaStream([video.track]));
    const remote = await remoteLink(b, a.peerId);
    const streamed = new Promise((resolve) => remote.once('stream', resolve));
    await chat.whenOpen();
    await streamed;
    expect(offers).toHaveLength(1);
    expect(offers[0]).toContain('m=video');
    expect(offers[0]).toContain('m=application');
  });

  it('is not made by a link that an incoming offer created, even if the app opens a channel on it first', async () => {
    server = await startServer();
    const b = await peer(server.url, 'callee');
    // The callee's app opens the same channel on every new link, before the offer is applied.
    b.peers.on('link', (created) => void created.channel('chat'));
    const a = await peer(server.url, 'caller');
    const offersFromB: number[] = [];
    a.client.on('signal', (_from, data) => {
      if ((data as { t?: string }).t === 'offer') offersFromB.push(1);
    });
    const link = a.peers.connect(b.peerId);
    const chat = link.channel('chat');
    const remote = await remoteLink(b, a.peerId);
    const arrived = nextMessage(remote, 'chat');
    await chat.send('one offer only');
    expect(await arrived).toEqual({ kind: 'text', text: 'one offer only' });
    expect(offersFromB).toEqual([]);
  });
});
