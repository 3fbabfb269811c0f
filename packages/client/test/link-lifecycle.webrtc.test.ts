/**
 * Link lifecycle between two Node peers (@roamhq/wrtc) through the real server:
 * - the ICE watchdog restarts a negotiated link whose ICE never leaves `new`/`checking`;
 * - envelopes of a closed link (late bye, answer, candidates) never touch the next link to the same peer;
 * - an offer from a new incarnation of the remote link replaces ours even when its bye was lost;
 * - signals that arrive before anyone listens are delivered once someone does, or reported, never lost.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  packSdp,
  unpackSdp,
  type DroppedSignal,
  type PeerLink,
  type SignalChannel,
  type SwitchboardError,
} from '@switchboard/client';
import { nextMessage, nodePeerLab, remoteLink, type NodePeer } from '@switchboard/testing';

const lab = nodePeerLab();
afterEach(() => lab.close());

/**
 * A signal channel that rewrites or loses envelopes as a broken path would: `rewrite` returns the data to
 * send, or `undefined` to lose it.
 */
function lossy(rewrite: (data: unknown) => unknown): (signals: SignalChannel) => SignalChannel {
  return (signals) =>
    Object.create(signals, {
      send: {
        value: (to: string, data: unknown) => {
          const kept = rewrite(data);
          return kept === undefined ? Promise.resolve() : signals.send(to, kept);
        },
      },
    }) as SignalChannel;
}

function collect<T>(subscribe: (push: (value: T) => void) => void): T[] {
  const seen: T[] = [];
  subscribe((value) => seen.push(value));
  return seen;
}

/** Rejects after `ms` naming what was awaited; the tests never sleep. */
function within<T>(promise: Promise<T>, what: string, ms = 20_000): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** Opens `chat` from a to b and waits for the first message on b; resolves with both links. */
async function connected(a: NodePeer, b: NodePeer): Promise<[PeerLink, PeerLink]> {
  const link = a.peers.connect(b.peerId);
  const bLink = remoteLink(b, a.peerId);
  const first = bLink.then((l) => nextMessage(l, 'chat'));
  await link.channel('chat').send('hello');
  expect(await within(first, 'the first message')).toEqual({ kind: 'text', text: 'hello' });
  return [link, await bLink];
}

describe('PeerLink lifecycle (Node <-> Node through the server)', () => {
  it('the watchdog restarts ICE that is stuck after the offer/answer exchange, and the link comes up', async () => {
    await lab.startServer();
    // Every candidate is lost until the first restart, trickled or inside the SDP (wrtc puts the ones it
    // has gathered there): both sides end up stable with ICE stuck in new.
    let isLosingCandidates = true;
    const lose = lossy((data) => {
      const envelope = data as { k?: unknown; s?: unknown; z?: unknown };
      if (!isLosingCandidates) return data;
      if (envelope.k === 'ice') return undefined;
      const noCandidates = (sdp: string): string =>
        sdp.replace(/^a=(candidate|end-of-candidates).*\r\n/gm, '');
      if (envelope.k === 'sdp' && typeof envelope.s === 'string')
        return { ...envelope, s: noCandidates(envelope.s) };
      // Packed between current SDKs (ADR 0021): unpacked, stripped and packed again.
      if (envelope.k === 'sdp' && typeof envelope.z === 'string')
        return { ...envelope, z: packSdp(noCandidates(unpackSdp(envelope.z) ?? '')) };
      return data;
    });
    const options = { wrapSignals: lose, iceConnectTimeoutMs: 1500 };
    const a = await lab.peer('ada', options);
    const b = await lab.peer('bob', options);
    const errors = collect<SwitchboardError>((push) => {
      a.peers.on('error', push);
      b.peers.on('error', push);
    });
    const link = a.peers.connect(b.peerId);
    const restarts: string[] = [];
    const onRestart = (who: string) => (info: { attempt: number; reason: string }) => {
      restarts.push(`${who}:${info.reason}:${info.attempt}`);
      isLosingCandidates = false;
    };
    link.on('ice-restart', onRestart('ada'));
    const bLink = remoteLink(b, a.peerId).then((l) => {
      l.on('ice-restart', onRestart('bob'));
      return l;
    });
    const stuck = new Promise<void>((resolve) => {
      const off = link.on('state', (state) => {
        if (state.signalingState === 'stable' && link.pc.remoteDescription !== null) {
          off();
          resolve();
        }
      });
    });
    const recovered = new Promise((resolve) => link.once('ice-recovered', resolve));
    const arrived = bLink.then((l) => nextMessage(l, 'chat'));
    const sent = link.channel('chat').send('after the watchdog');
    await within(stuck, 'the offer/answer exchange');
    expect(link.state.iceConnectionState).toMatch(/^(new|checking)$/);
    expect(await within(arrived, 'the message after the restart')).toEqual({
      kind: 'text',
      text: 'after the watchdog',
    });
    await sent;
    await within(recovered, 'ice-recovered');
    expect(restarts.some((r) => r.endsWith(':stuck:1'))).toBe(true);
    expect(link.isConnected).toBe(true);
    expect(errors).toEqual([]);
  });

  it('late envelopes of a closed link are dropped as stale and never touch the next link', async () => {
    await lab.startServer();
    const a = await lab.peer('ada');
    const b = await lab.peer('bob');
    const dropped = collect<DroppedSignal>((push) => b.peers.on('signal-dropped', push));
    const errors = collect<SwitchboardError>((push) => b.peers.on('error', push));
    const [first, bFirst] = await connected(a, b);
    const oldIds = { l: first.linkId, r: bFirst.linkId };
    const closed = new Promise((resolve) => bFirst.once('close', resolve));
    first.close();
    expect(await within(closed, 'the bye')).toBe('remote');

    const [second, bSecond] = await connected(a, b);
    expect(second.linkId).not.toBe(oldIds.l);
    expect(bSecond.remoteLinkId).toBe(second.linkId);
    // What the first link could still have had in flight: a bye, an answer and candidates.
    const stale = [
      { sb: 1, k: 'bye', ...oldIds },
      { sb: 1, k: 'sdp', t: 'answer', s: first.pc.localDescription?.sdp ?? 'v=0', ...oldIds },
      { sb: 1, k: 'ice', c: [['candidate:1 1 udp 1 127.0.0.1 9 typ host', '0', 0, null]], ...oldIds },
    ];
    const reported = new Promise<void>((resolve) => {
      const off = b.peers.on('signal-dropped', () => {
        if (dropped.length < stale.length) return;
        off();
        resolve();
      });
    });
    for (const data of stale) await a.client.signal(b.peerId, data);
    await within(reported, 'the stale envelopes to be reported');
    expect(dropped).toEqual(['bye', 'sdp', 'ice'].map((kind) => ({ from: a.peerId, kind, reason: 'stale' })));
    expect(bSecond.isClosed).toBe(false);
    const back = nextMessage(second, 'chat');
    await bSecond.channel('chat').send('still the second link');
    expect(await within(back, 'a message on the second link')).toEqual({
      kind: 'text',
      text: 'still the second link',
    });
    expect(errors).toEqual([]);
  });

  it('an offer from a new incarnation replaces the old link even when its bye was lost', async () => {
    await lab.startServer();
    const loseBye = lossy((data) => ((data as { k?: unknown }).k === 'bye' ? undefined : data));
    const a = await lab.peer('ada', { wrapSignals: loseBye });
    const b = await lab.peer('bob');
    const [first, bFirst] = await connected(a, b);
    first.close();
    expect(bFirst.isClosed).toBe(false);
    const replaced = new Promise((resolve) => bFirst.once('close', resolve));
    const next = new Promise<PeerLink>((resolve) => b.peers.once('link', resolve));
    const second = a.peers.connect(b.peerId);
    const arrived = next.then((l) => nextMessage(l, 'chat'));
    await second.channel('chat').send('from the new incarnation');
    expect(await within(arrived, 'a message on the new link')).toEqual({
      kind: 'text',
      text: 'from the new incarnation',
    });
    const bSecond = await next;
    expect(await within(replaced, 'the old link to close')).toBe('remote');
    expect(bSecond).not.toBe(bFirst);
    expect(bSecond.remoteLinkId).toBe(second.linkId);
    expect(b.peers.links).toEqual([bSecond]);
  });

  it('app signals that arrive before a listener are delivered to the first one, in order', async () => {
    await lab.startServer();
    const a = await lab.peer('ada');
    const b = await lab.peer('bob');
    // Nobody listens for app signals on b's manager yet.
    const delivered = new Promise<void>((resolve) => {
      const off = b.client.on('signal', () => {
        off();
        resolve();
      });
    });
    await a.client.signal(b.peerId, { app: 1 });
    await a.client.signal(b.peerId, { app: 2 });
    await within(delivered, 'the signals to reach b');
    const got: unknown[] = [];
    const both = new Promise<void>((resolve) => {
      b.peers.on('signal', (from, data) => {
        got.push([from, data]);
        if (got.length === 2) resolve();
      });
    });
    await within(both, 'the buffered signals');
    expect(got).toEqual([
      [a.peerId, { app: 1 }],
      [a.peerId, { app: 2 }],
    ]);
  });

  it('reports signals nobody took in time as dropped (expired), never silently', async () => {
    await lab.startServer();
    const a = await lab.peer('ada');
    const b = await lab.peer('bob', { maxEarlySignalAgeMs: 300 });
    const dropped = new Promise<DroppedSignal>((resolve) => b.peers.once('signal-dropped', resolve));
    await a.client.signal(b.peerId, { nobody: 'listens' });
    expect(await within(dropped, 'the drop report')).toEqual({
      from: a.peerId,
      kind: 'app',
      reason: 'expired',
    });
  });
});
