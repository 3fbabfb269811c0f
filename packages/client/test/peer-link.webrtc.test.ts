/**
 * PeerLink between two Node peers (@roamhq/wrtc) through the real server: trickle and non-trickle ICE,
 * renegotiation for channels and tracks added later, ICE restart, and surviving the broker.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SwitchboardError } from '@switchboard/client';
import {
  createWrtcVideoTrack,
  nextMessage,
  nodePeerLab,
  remoteLink,
  WrtcMediaStream,
  type NodePeer,
} from '@switchboard/testing';

const lab = nodePeerLab();
afterEach(() => lab.close());
const pair = lab.pair;

function collectErrors(...peers: NodePeer[]): SwitchboardError[] {
  const errors: SwitchboardError[] = [];
  for (const peer of peers) peer.peers.on('error', (error) => errors.push(error));
  return errors;
}

function countSignalKinds(peer: NodePeer): Map<string, number> {
  const kinds = new Map<string, number>();
  peer.client.on('signal', (_from, data) => {
    const kind = String((data as { k?: unknown }).k);
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  });
  return kinds;
}

const total = (kinds: Map<string, number>): number => [...kinds.values()].reduce((x, y) => x + y, 0);

describe('PeerLink (Node <-> Node through the server)', () => {
  it('opens a data channel with trickle ICE in at most 8 broker signals', async () => {
    const [a, b] = await pair();
    const errors = collectErrors(a, b);
    const toA = countSignalKinds(a);
    const toB = countSignalKinds(b);
    const link = a.peers.connect(b.peerId);
    const chat = link.channel('chat');
    const arrived = remoteLink(b, a.peerId).then((l) => nextMessage(l, 'chat'));
    await chat.send('hello over trickle');
    expect(await arrived).toEqual({ kind: 'text', text: 'hello over trickle' });
    await link.whenConnected();
    const stats = await link.getStats();
    expect(stats.localCandidateType).toBe('host');
    expect(toB.get('sdp')).toBe(1);
    expect(toA.get('sdp')).toBe(1);
    expect(total(toA) + total(toB)).toBeLessThanOrEqual(8);
    expect(errors).toEqual([]);
  });

  it('opens a data channel with non-trickle ICE: one complete description each way, no candidates', async () => {
    const [a, b] = await pair({ iceMode: 'complete' });
    const errors = collectErrors(a, b);
    const toA = countSignalKinds(a);
    const toB = countSignalKinds(b);
    const link = a.peers.connect(b.peerId);
    const arrived = remoteLink(b, a.peerId).then((l) => nextMessage(l, 'chat'));
    await link.channel('chat').sendJson({ hello: 'non-trickle' });
    expect(await arrived).toEqual({ kind: 'json', value: { hello: 'non-trickle' } });
    expect([...toA.entries()]).toEqual([['sdp', 1]]);
    expect([...toB.entries()]).toEqual([['sdp', 1]]);
    expect(link.pc.localDescription?.sdp).toContain('a=candidate:');
    expect(errors).toEqual([]);
  });

  it('renegotiates when a channel and a track are added later, and reassembles a message above the SCTP limit', async () => {
    const [a, b] = await pair();
    const errors = collectErrors(a, b);
    const link = a.peers.connect(b.peerId);
    const first = remoteLink(b, a.peerId).then((l) => nextMessage(l, 'chat'));
    await link.channel('chat').send('first');
    await first;
    const bLink = b.peers.link(a.peerId)!;
    // The polite or impolite side (whichever b is) opens a second channel on the live connection.
    const later = nextMessage(link, 'later');
    const big = new Uint8Array(700 * 1024).map((_, i) => i % 251);
    await bLink.channel('later').sendBinary(big);
    const got = await later;
    expect(got.kind).toBe('binary');
    expect(got.kind === 'binary' && got.data).toEqual(big);
    const video = createWrtcVideoTrack();
    try {
      const stream = new WrtcMediaStream([video.track]);
      const remote = new Promise<MediaStream>((resolve) => bLink.once('stream', resolve));
      link.addTrack(video.track, stream);
      const received = await remote;
      expect(received.getVideoTracks()).toHaveLength(1);
    } finally {
      video.stop();
    }
    expect(errors).toEqual([]);
  });

  it('restartIce renews the ICE credentials and the link keeps carrying messages', async () => {
    const [a, b] = await pair();
    const errors = collectErrors(a, b);
    const link = a.peers.connect(b.peerId);
    const first = remoteLink(b, a.peerId).then((l) => nextMessage(l, 'chat'));
    await link.channel('chat').send('before');
    await first;
    const bLink = b.peers.link(a.peerId)!;
    const ufrag = (sdp: string | undefined): string | undefined => /a=ice-ufrag:(\S+)/.exec(sdp ?? '')?.[1];
    const before = ufrag(bLink.pc.remoteDescription?.sdp);
    const restarted = new Promise((resolve) => link.once('ice-restart', resolve));
    const renegotiated = new Promise<void>((resolve) => {
      const off = bLink.on('state', () => {
        const now = ufrag(bLink.pc.remoteDescription?.sdp);
        if (now !== before && bLink.pc.signalingState === 'stable') {
          off();
          resolve();
        }
      });
    });
    link.restartIce();
    await restarted;
    await renegotiated;
    expect(ufrag(bLink.pc.remoteDescription?.sdp)).not.toBe(before);
    const after = nextMessage(bLink, 'chat');
    await link.channel('chat').send('after restart');
    expect(await after).toEqual({ kind: 'text', text: 'after restart' });
    expect(errors).toEqual([]);
  });

  it('keeps the data channel working after the broker is killed', async () => {
    const [a, b, server] = await pair();
    const link = a.peers.connect(b.peerId);
    const first = remoteLink(b, a.peerId).then((l) => nextMessage(l, 'chat'));
    await link.channel('chat').send('with broker');
    await first;
    const bLink = b.peers.link(a.peerId)!;
    await server.close();
    const toB = nextMessage(bLink, 'chat');
    const toA = nextMessage(link, 'chat');
    await link.channel('chat').send('no broker, a to b');
    await bLink.channel('chat').send('no broker, b to a');
    expect(await toB).toEqual({ kind: 'text', text: 'no broker, a to b' });
    expect(await toA).toEqual({ kind: 'text', text: 'no broker, b to a' });
  });

  it('leaves the broker by itself once the link is up (leaveBrokerWhenConnected) and the link keeps working', async () => {
    const [a, b] = await pair({ leaveBrokerWhenConnected: true });
    const link = a.peers.connect(b.peerId);
    const left = new Promise<void>((resolve) => a.peers.once('left-broker', resolve));
    const first = remoteLink(b, a.peerId).then((l) => nextMessage(l, 'chat'));
    await link.channel('chat').send('hi');
    await first;
    await left;
    expect(a.client.state.state).toBe('closed');
    const bLink = b.peers.link(a.peerId)!;
    const back = nextMessage(link, 'chat');
    await bLink.channel('chat').send('still here');
    expect(await back).toEqual({ kind: 'text', text: 'still here' });
  });

  it('closing a link tells the other side at once', async () => {
    const [a, b] = await pair();
    const link = a.peers.connect(b.peerId);
    const first = remoteLink(b, a.peerId).then((l) => nextMessage(l, 'chat'));
    await link.channel('chat').send('hi');
    await first;
    const bLink = b.peers.link(a.peerId)!;
    const closed = new Promise((resolve) => bLink.once('close', resolve));
    link.close();
    expect(await closed).toBe('remote');
    expect(b.peers.link(a.peerId)).toBeUndefined();
  });
});
