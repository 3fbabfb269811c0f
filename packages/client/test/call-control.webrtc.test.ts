/**
 * Call control between two Node peers through the real server: every way a call can end is seen by the
 * other side (peers.md §5 item 4: PeerJS misses hangups and declines of unanswered calls), and only the
 * caller offers first when both sides send media (ADR 0008 addendum: crossing offers of different layouts).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  unpackSdp,
  type Call,
  type CallEndReason,
  type PeerInfo,
  type SignalChannel,
  type SwitchboardError,
} from '@switchboard/client';
import {
  createNodePeer,
  createWrtcVideoTrack,
  nextMessage,
  startServer,
  WrtcMediaStream,
  type NodePeer,
  type StartedServer,
} from '@switchboard/testing';

let server: StartedServer;
let a: NodePeer;
let b: NodePeer;

beforeEach(async () => {
  server = await startServer();
  a = await createNodePeer({ url: server.url, room: 'calls', nickname: 'ada', ringTimeoutMs: 1500 });
  b = await createNodePeer({ url: server.url, room: 'calls', nickname: 'bob', ringTimeoutMs: 1500 });
});

afterEach(async () => {
  await a.close();
  await b.close();
  await server.close();
});

const incoming = (peer: NodePeer): Promise<Call> =>
  new Promise((resolve) => peer.calls.once('incoming', resolve));
const ended = (call: Call): Promise<CallEndReason> =>
  new Promise((resolve) => call.once('ended', (reason) => resolve(reason)));

describe('CallController', () => {
  it('decline: the caller sees CALL_DECLINED', async () => {
    const ringing = incoming(b);
    const call = a.calls.call(b.peerId, { video: false, from: 'ada' });
    const callee = await ringing;
    expect(callee.metadata).toEqual({ video: false, from: 'ada' });
    callee.decline();
    await expect(call.whenActive()).rejects.toMatchObject({ code: 'CALL_DECLINED' });
    expect(call.endReason).toBe('declined');
  });

  it('busy: a peer already in a call answers busy, and publishes status busy in presence', async () => {
    const c = await createNodePeer({ url: server.url, room: 'calls', nickname: 'cyd' });
    try {
      const ringing = incoming(b);
      const first = a.calls.call(b.peerId);
      const callee = await ringing;
      const busySeen = new Promise<PeerInfo>((resolve) => {
        const off = c.client.on('peer-updated', (_room, peer) => {
          if (peer.peerId === b.peerId && peer.metadata.status === 'busy') {
            off();
            resolve(peer);
          }
        });
      });
      callee.accept();
      await first.whenActive();
      expect((await busySeen).metadata.status).toBe('busy');
      const second = c.calls.call(b.peerId);
      await expect(second.whenActive()).rejects.toMatchObject({ code: 'CALL_BUSY' });
    } finally {
      await c.close();
    }
  });

  it('cancel: the callee sees the call cancelled', async () => {
    const ringing = incoming(b);
    const call = a.calls.call(b.peerId);
    const callee = await ringing;
    const calleeEnded = ended(callee);
    await new Promise<void>((resolve) =>
      call.phase === 'ringing' ? resolve() : call.once('phase', () => resolve()),
    );
    call.cancel();
    expect(await calleeEnded).toBe('cancelled');
  });

  it('no answer: both sides end with no-answer after the ring timeout', async () => {
    const ringing = incoming(b);
    const call = a.calls.call(b.peerId);
    const callee = await ringing;
    const calleeEnded = ended(callee);
    await expect(call.whenActive()).rejects.toMatchObject({ code: 'CALL_NO_ANSWER' });
    expect(await calleeEnded).toBe('no-answer');
  });

  it('hangup from either side reaches the other side', async () => {
    for (const hangsUp of ['caller', 'callee'] as const) {
      const ringing = incoming(b);
      const call = a.calls.call(b.peerId);
      const callee = await ringing;
      callee.accept();
      await call.whenActive();
      const [local, remote] = hangsUp === 'caller' ? [call, callee] : [callee, call];
      const remoteEnded = ended(remote);
      local.hangup();
      expect(await remoteEnded).toBe('remote-hangup');
      expect(local.endReason).toBe('hangup');
    }
  });
});

/** One `sdp` or `call` envelope, as one side sent (`out`) or received (`in`) it, in that side's order. */
interface Envelope {
  readonly dir: 'out' | 'in';
  readonly k: string;
  readonly t?: 'offer' | 'answer';
  readonly s?: string;
  readonly op?: string;
  readonly o?: unknown;
}

/** A signal channel that logs every `sdp` and `call` envelope through it, both ways, before it is handled. */
function recording(log: Envelope[]): (signals: SignalChannel) => SignalChannel {
  const note = (dir: 'out' | 'in', data: unknown): void => {
    const envelope = data as Omit<Envelope, 'dir'> & { z?: string };
    // Descriptions between two current SDKs travel packed (`z`, ADR 0021): logged as their SDP text.
    const s = envelope.z === undefined ? envelope.s : unpackSdp(envelope.z);
    if (envelope.k === 'sdp' || envelope.k === 'call')
      log.push({ ...envelope, ...(s === undefined ? {} : { s }), dir });
  };
  return (signals) =>
    Object.create(signals, {
      send: {
        value: (to: string, data: unknown) => {
          note('out', data);
          return signals.send(to, data);
        },
      },
      onSignal: {
        value: (listener: (from: string, data: unknown) => void) =>
          signals.onSignal((from, data) => {
            note('in', data);
            listener(from, data);
          }),
      },
    }) as SignalChannel;
}

/** Offers one side received while its own offer was still unanswered: each one forces a rollback or an ignore. */
function crossings(log: readonly Envelope[]): number {
  let isOfferPending = false;
  let count = 0;
  for (const e of log) {
    if (e.k !== 'sdp') continue;
    if (e.dir === 'out' && e.t === 'offer') isOfferPending = true;
    else if (e.dir === 'in' && e.t === 'answer') isOfferPending = false;
    else if (e.dir === 'in' && e.t === 'offer' && isOfferPending) count += 1;
  }
  return count;
}

const offers = (log: readonly Envelope[], dir: 'out' | 'in'): Envelope[] =>
  log.filter((e) => e.k === 'sdp' && e.dir === dir && e.t === 'offer');
const hasVideo = (e: Envelope): boolean => e.s?.includes('m=video') ?? false;

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

/** Resolves when `link`'s connection is stable with a remote description (no exchange in flight). */
function whenStable(peer: NodePeer, from: string): Promise<void> {
  const link = peer.peers.link(from);
  if (link === undefined) return Promise.reject(new Error(`no link to ${from}`));
  const isSettled = (): boolean => link.pc.signalingState === 'stable' && link.pc.remoteDescription !== null;
  if (isSettled()) return Promise.resolve();
  return new Promise((resolve) => {
    const off = link.on('state', () => {
      if (!isSettled()) return;
      off();
      resolve();
    });
  });
}

describe('Call media: the caller offers first', () => {
  /**
   * Two recording peers on the test's server, caller first. The caller is the polite side: its offer is
   * the one perfect negotiation would roll back, which is how Chromium lost the data section (ADR 0008).
   */
  async function politeCallerPair(): Promise<{
    caller: NodePeer;
    callee: NodePeer;
    callerLog: Envelope[];
    calleeLog: Envelope[];
    errors: SwitchboardError[];
    close: () => Promise<void>;
  }> {
    const logs: [Envelope[], Envelope[]] = [[], []];
    const peers = [
      await createNodePeer({
        url: server.url,
        room: 'calls',
        nickname: 'cyd',
        wrapSignals: recording(logs[0]),
      }),
      await createNodePeer({
        url: server.url,
        room: 'calls',
        nickname: 'dan',
        wrapSignals: recording(logs[1]),
      }),
    ] as const;
    const [first, second] = peers;
    const callerIndex = first.peers.signals.isPolite(second.peerId) ? 0 : 1;
    const caller = peers[callerIndex];
    const callee = peers[1 - callerIndex]!;
    const errors: SwitchboardError[] = [];
    for (const peer of peers) {
      peer.peers.on('error', (error) => errors.push(error));
      peer.calls.on('error', (error) => errors.push(error));
    }
    return {
      caller,
      callee,
      callerLog: logs[callerIndex],
      calleeLog: logs[1 - callerIndex]!,
      errors,
      close: async () => {
        for (const peer of peers) await peer.close();
      },
    };
  }

  it('media both ways plus a channel the caller opens before the accept: one media offer from the caller, no crossing', async () => {
    const { caller, callee, callerLog, calleeLog, errors, close } = await politeCallerPair();
    const callerVideo = createWrtcVideoTrack();
    const calleeVideo = createWrtcVideoTrack();
    try {
      const callerStream = new WrtcMediaStream([callerVideo.track]);
      const calleeStream = new WrtcMediaStream([calleeVideo.track]);
      const calleeGot = new Promise<MediaStream>((resolve) =>
        callee.calls.once('incoming', (call) => {
          call.once('stream', resolve);
          // Accepted the moment it rings, as an auto-answering app would: the caller's channel offer may
          // still be on its way, the worst case for crossing offers.
          call.accept(calleeStream);
        }),
      );
      const call = caller.calls.call(callee.peerId, { video: true }, callerStream);
      const callerGot = new Promise<MediaStream>((resolve) => call.once('stream', resolve));
      const callerLink = caller.peers.connect(callee.peerId);
      const chat = callerLink.channel('chat');
      const arrived = new Promise<unknown>((resolve) => {
        const off = callee.peers.on('link', (link) => {
          off();
          resolve(nextMessage(link, 'chat'));
        });
      });
      await within(call.whenActive(), 'the accept');
      await within(chat.send('hello from the caller'), 'the chat channel to open at the caller');
      expect(await within(arrived, 'the chat message at the callee')).toEqual({
        kind: 'text',
        text: 'hello from the caller',
      });
      const calleeLink = callee.peers.link(caller.peerId)!;
      const back = nextMessage(callerLink, 'chat');
      await within(calleeLink.channel('chat').send('hello back'), 'the chat channel at the callee');
      expect(await within(back, 'the reply at the caller')).toEqual({ kind: 'text', text: 'hello back' });
      expect((await within(callerGot, 'the callee video at the caller')).getVideoTracks()).toHaveLength(1);
      expect((await within(calleeGot, 'the caller video at the callee')).getVideoTracks()).toHaveLength(1);
      await within(
        Promise.all([whenStable(caller, callee.peerId), whenStable(callee, caller.peerId)]),
        'both sides to settle',
      );

      const context = JSON.stringify({
        caller: callerLog.map((e) => `${e.dir}:${e.k}:${e.t ?? e.op}`),
        callee: calleeLog.map((e) => `${e.dir}:${e.k}:${e.t ?? e.op}`),
      });
      expect(callerLog.find((e) => e.op === 'invite')?.o, context).toBe(1);
      expect([crossings(callerLog), crossings(calleeLog)], context).toEqual([0, 0]);
      // Exactly one offer of the caller brings its media (the channel's own offer may precede it).
      expect(offers(callerLog, 'out').filter(hasVideo), context).toHaveLength(1);
      // The callee answered before it ever offered, and sent no media before the caller's media offer.
      const calleeSent = calleeLog.filter((e) => e.k === 'sdp' && e.dir === 'out');
      expect(calleeSent[0]?.t, context).toBe('answer');
      const mediaOfferAt = calleeLog.findIndex((e) => e.dir === 'in' && e.t === 'offer' && hasVideo(e));
      expect(mediaOfferAt, context).toBeGreaterThanOrEqual(0);
      for (const e of calleeLog.slice(0, mediaOfferAt))
        if (e.k === 'sdp' && e.dir === 'out') expect(hasVideo(e), context).toBe(false);
      // Its video rides in the answer or, at most, in one offer after it.
      expect(offers(calleeLog, 'out').length, context).toBeLessThanOrEqual(1);
      expect(errors).toEqual([]);
    } finally {
      callerVideo.stop();
      calleeVideo.stop();
      await close();
    }
  });

  it('a second call on a live link with an open channel: the callee still follows the caller media offer', async () => {
    const { caller, callee, callerLog, calleeLog, errors, close } = await politeCallerPair();
    const callerVideo = createWrtcVideoTrack();
    const calleeVideo = createWrtcVideoTrack();
    try {
      const callerLink = caller.peers.connect(callee.peerId);
      const arrived = new Promise<unknown>((resolve) => {
        const off = callee.peers.on('link', (link) => {
          off();
          resolve(nextMessage(link, 'chat'));
        });
      });
      await within(callerLink.channel('chat').send('before the call'), 'the chat channel to open');
      await within(arrived, 'the chat message before the call');
      await within(callerLink.whenConnected(), 'the link');
      const before = callerLog.length;
      const beforeCallee = calleeLog.length;

      const calleeGot = new Promise<MediaStream>((resolve) =>
        callee.calls.once('incoming', (call) => {
          call.once('stream', resolve);
          call.accept(new WrtcMediaStream([calleeVideo.track]));
        }),
      );
      const call = caller.calls.call(callee.peerId, {}, new WrtcMediaStream([callerVideo.track]));
      const callerGot = new Promise<MediaStream>((resolve) => call.once('stream', resolve));
      await within(callerGot, 'the callee video at the caller');
      await within(calleeGot, 'the caller video at the callee');
      await within(
        Promise.all([whenStable(caller, callee.peerId), whenStable(callee, caller.peerId)]),
        'both sides to settle',
      );
      const callerSaw = callerLog.slice(before);
      const calleeSaw = calleeLog.slice(beforeCallee);
      const context = JSON.stringify({
        caller: callerSaw.map((e) => `${e.dir}:${e.k}:${e.t ?? e.op}`),
        callee: calleeSaw.map((e) => `${e.dir}:${e.k}:${e.t ?? e.op}`),
      });
      expect([crossings(callerSaw), crossings(calleeSaw)], context).toEqual([0, 0]);
      expect(offers(callerSaw, 'out'), context).toHaveLength(1);
      expect(calleeSaw.find((e) => e.k === 'sdp' && e.dir === 'out')?.t, context).toBe('answer');
      expect(offers(calleeSaw, 'out').length, context).toBeLessThanOrEqual(1);
      expect(errors).toEqual([]);
    } finally {
      callerVideo.stop();
      calleeVideo.stop();
      await close();
    }
  });

  it('a caller with no media: the invite has no flag and the callee sends its media at once', async () => {
    const { caller, callee, callerLog, calleeLog, errors, close } = await politeCallerPair();
    const calleeVideo = createWrtcVideoTrack();
    try {
      callee.calls.once('incoming', (call) => call.accept(new WrtcMediaStream([calleeVideo.track])));
      const call = caller.calls.call(callee.peerId, { video: false });
      const callerGot = new Promise<MediaStream>((resolve) => call.once('stream', resolve));
      const received = await within(callerGot, 'the callee video at the caller', 8_000);
      expect(received.getVideoTracks()).toHaveLength(1);
      const context = JSON.stringify({
        caller: callerLog.map((e) => `${e.dir}:${e.k}:${e.t ?? e.op}`),
        callee: calleeLog.map((e) => `${e.dir}:${e.k}:${e.t ?? e.op}`),
      });
      expect(
        callerLog.find((e) => e.op === 'invite'),
        context,
      ).not.toHaveProperty('o');
      // The callee offered before any description came from the caller: it did not wait for one.
      const firstSdp = calleeLog.find((e) => e.k === 'sdp');
      expect(firstSdp?.dir, context).toBe('out');
      expect(firstSdp?.t, context).toBe('offer');
      expect(offers(callerLog, 'out'), context).toHaveLength(0);
      expect(errors).toEqual([]);
    } finally {
      calleeVideo.stop();
      await close();
    }
  });
});
