/**
 * Descriptions packed between SDKs that read them (ADR 0021): two Node peers (@roamhq/wrtc) through the real
 * server. What each side put on the wire is recorded at its signal channel, so the tests see the envelopes
 * exactly as the broker carried them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SDP_CODEC, type SignalChannel } from '@switchboard/client';
import {
  createNodePeer,
  nextMessage,
  remoteLink,
  startServer,
  type NodePeer,
  type NodePeerOptions,
  type StartedServer,
} from '@switchboard/testing';

let server: StartedServer | undefined;
const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  await server?.close();
  server = undefined;
});

interface Recorded {
  readonly peer: NodePeer;
  /** The `sdp` envelopes this peer sent, as they went on the wire. */
  readonly descriptions: Record<string, unknown>[];
}

/** A peer whose outgoing descriptions are recorded; `asOlderCarrier` hides what presence says (no `supports`). */
async function peer(
  nickname: string,
  options: Partial<NodePeerOptions> & { asOlderCarrier?: boolean } = {},
): Promise<Recorded> {
  const { asOlderCarrier, ...rest } = options;
  const descriptions: Record<string, unknown>[] = [];
  const created = await createNodePeer({
    url: (server as StartedServer).url,
    room: 'packed',
    nickname,
    ...rest,
    wrapSignals: (signals: SignalChannel): SignalChannel => ({
      get selfId() {
        return signals.selfId;
      },
      get iceServers() {
        return signals.iceServers;
      },
      send(to, data) {
        const envelope = data as Record<string, unknown>;
        if (envelope['k'] === 'sdp') descriptions.push(envelope);
        return signals.send(to, data);
      },
      onSignal: (listener) => signals.onSignal(listener),
      onIceServers: (listener) => signals.onIceServers(listener),
      isPolite: (peerId) => signals.isPolite(peerId),
      ...(asOlderCarrier === true
        ? {}
        : { supports: (peerId: string, feature: string) => signals.supports?.(peerId, feature) ?? false }),
      close: () => signals.close(),
    }),
  });
  closers.push(() => created.close());
  return { peer: created, descriptions };
}

/** Opens a data link from `a` to `b` and waits for one message across it. */
async function connectAndTalk(a: NodePeer, b: NodePeer): Promise<void> {
  const link = a.peers.connect(b.peerId);
  const arrived = remoteLink(b, a.peerId).then((l) => nextMessage(l, 'chat'));
  await link.channel('chat').send('hello over a packed setup');
  expect(await arrived).toEqual({ kind: 'text', text: 'hello over a packed setup' });
}

describe('packed descriptions', () => {
  it('go packed both ways between two current SDKs, and the link connects', async () => {
    server = await startServer();
    const callee = await peer('callee');
    const caller = await peer('caller');
    // The caller joined last: the roster told it about the callee before it could call.
    expect(caller.peer.client.peerSupports(callee.peer.peerId, SDP_CODEC)).toBe(true);
    await connectAndTalk(caller.peer, callee.peer);
    // The caller's peer-joined reached the callee before its offer (both in the callee's seq order).
    expect(callee.peer.client.peerSupports(caller.peer.peerId, SDP_CODEC)).toBe(true);
    expect(caller.descriptions.length).toBeGreaterThan(0);
    expect(callee.descriptions.length).toBeGreaterThan(0);
    for (const sent of [...caller.descriptions, ...callee.descriptions]) {
      expect(sent).not.toHaveProperty('s');
      expect(typeof sent['z']).toBe('string');
    }
  });

  it('go plain from a peer that knows nothing of the other, which still answers packed', async () => {
    server = await startServer();
    const callee = await peer('callee');
    // This caller's carrier cannot tell what the callee reads: its offer must go plain...
    const caller = await peer('caller', { asOlderCarrier: true });
    await connectAndTalk(caller.peer, callee.peer);
    expect(caller.descriptions[0]).toMatchObject({ t: 'offer' });
    expect(typeof caller.descriptions[0]?.['s']).toBe('string');
    expect(caller.descriptions[0]).not.toHaveProperty('z');
    // ...and the callee, which saw the caller advertise the codec in the room, answers packed.
    expect(callee.descriptions[0]).toMatchObject({ t: 'answer' });
    expect(typeof callee.descriptions[0]?.['z']).toBe('string');
  });

  it('go plain when packing is turned off, and are still read when they come packed', async () => {
    server = await startServer();
    const callee = await peer('callee', { packSignals: false });
    const caller = await peer('caller');
    await connectAndTalk(caller.peer, callee.peer);
    expect(typeof caller.descriptions[0]?.['z']).toBe('string');
    expect(callee.descriptions.length).toBeGreaterThan(0);
    for (const sent of callee.descriptions) expect(typeof sent['s']).toBe('string');
  });
});
