/**
 * Call control between two Node peers through the real server: every way a call can end is seen by the
 * other side (peers.md §5 item 4: PeerJS misses hangups and declines of unanswered calls).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Call, CallEndReason, PeerInfo } from '@switchboard/client';
import { createNodePeer, startServer, type NodePeer, type StartedServer } from '@switchboard/testing';

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
